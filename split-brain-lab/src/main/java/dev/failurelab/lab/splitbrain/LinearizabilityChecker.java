package dev.failurelab.lab.splitbrain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a history of reads and writes on registers for linearizability: is there one order of the
 * operations, each placed between its call and its return, in which every read returns the last value
 * written before it? The search is Wing and Gong's, with Lowe's cache of visited states (as Porcupine
 * and Knossos do it): each register's history is checked on its own (linearizability is compositional).
 *
 * <p>A write of unknown outcome ({@link Operation.Outcome#INFO}) may take effect at any time after its
 * call, or never; a failed operation and a read of unknown outcome are left out. The search is bounded
 * ({@code maxSteps} per register): a register it could not decide is reported as unknown, never as
 * linearizable.
 *
 * <p>Concurrency: stateless; thread-safe.
 */
public final class LinearizabilityChecker {

    /** The default bound on the search, per register. */
    public static final long DEFAULT_MAX_STEPS = 5_000_000;

    private final long maxSteps;

    public LinearizabilityChecker() {
        this(DEFAULT_MAX_STEPS);
    }

    public LinearizabilityChecker(long maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1");
        }
        this.maxSteps = maxSteps;
    }

    /** What the search found on one register. */
    public enum Status {
        LINEARIZABLE, VIOLATION, UNKNOWN
    }

    /**
     * One register's verdict.
     *
     * @param culprit for a violation, the operation no order could place (the return the search could
     *                not get past with the most operations placed); else null
     * @param placed  for a violation, how many operations the longest order found placed before it
     */
    public record RegisterVerdict(String key, Status status, int operations, Operation culprit, int placed, long steps) {
    }

    /** The verdict on a whole history: one per register, in the order the keys first appear. */
    public record Verdict(List<RegisterVerdict> registers) {

        /** Registers whose history is not linearizable. */
        public long violations() {
            return registers.stream().filter(r -> r.status() == Status.VIOLATION).count();
        }

        /** Registers the bounded search could not decide. */
        public long unknown() {
            return registers.stream().filter(r -> r.status() == Status.UNKNOWN).count();
        }

        /** Whether every register's history is linearizable. */
        public boolean linearizable() {
            return registers.stream().allMatch(r -> r.status() == Status.LINEARIZABLE);
        }

        /** Operations checked, over every register. */
        public int operations() {
            return registers.stream().mapToInt(RegisterVerdict::operations).sum();
        }
    }

    /** Checks every register of {@code history}. */
    public Verdict check(List<Operation> history) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : history) {
            boolean counts = op.outcome() == Operation.Outcome.OK
                    || op.outcome() == Operation.Outcome.INFO && op.kind() == Operation.Kind.WRITE;
            if (counts) {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        List<RegisterVerdict> verdicts = new ArrayList<>();
        byKey.forEach((key, ops) -> verdicts.add(checkRegister(key, ops)));
        return new Verdict(List.copyOf(verdicts));
    }

    /** A call or a return in the doubly linked list the search lifts operations out of. */
    private static final class Entry {
        final Operation op;
        final int index;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Operation op, int index, boolean call, long time) {
            this.op = op;
            this.index = index;
            this.call = call;
            this.time = time;
        }
    }

    private record State(BitSet placed, long value) {
    }

    private record Frame(Entry call, long value) {
    }

    private RegisterVerdict checkRegister(String key, List<Operation> ops) {
        List<Entry> entries = new ArrayList<>(ops.size() * 2);
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            Entry call = new Entry(op, i, true, op.call());
            long ret = op.outcome() == Operation.Outcome.INFO ? Long.MAX_VALUE : op.ret();
            Entry back = new Entry(op, i, false, ret);
            call.match = back;
            back.match = call;
            entries.add(call);
            entries.add(back);
        }
        // By time; at one instant calls first (operations that touch are concurrent).
        entries.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
        Entry head = new Entry(null, -1, false, Long.MIN_VALUE);
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }

        Set<State> seen = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        BitSet placed = new BitSet(ops.size());
        long value = Operation.NONE;
        Entry entry = head.next;
        Operation culprit = null;
        int mostPlaced = -1;
        long steps = 0;
        while (head.next != null) {
            if (++steps > maxSteps) {
                return new RegisterVerdict(key, Status.UNKNOWN, ops.size(), null, 0, steps);
            }
            if (entry.call) {
                Operation op = entry.op;
                boolean fits = op.kind() == Operation.Kind.WRITE || op.value() == value;
                long after = op.kind() == Operation.Kind.WRITE ? op.value() : value;
                if (fits) {
                    BitSet next = (BitSet) placed.clone();
                    next.set(entry.index);
                    if (seen.add(new State(next, after))) {
                        stack.push(new Frame(entry, value));
                        placed = next;
                        value = after;
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                // A return reached with its operation still unplaced: undo the last placement.
                if (placed.cardinality() > mostPlaced) {
                    mostPlaced = placed.cardinality();
                    culprit = entry.op;
                }
                if (stack.isEmpty()) {
                    return new RegisterVerdict(key, Status.VIOLATION, ops.size(), culprit, mostPlaced, steps);
                }
                Frame frame = stack.pop();
                placed = (BitSet) placed.clone();
                placed.clear(frame.call().index);
                value = frame.value();
                unlift(frame.call());
                entry = frame.call().next;
            }
        }
        return new RegisterVerdict(key, Status.LINEARIZABLE, ops.size(), null, 0, steps);
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Entry back = call.match;
        back.prev.next = back.next;
        if (back.next != null) {
            back.next.prev = back.prev;
        }
    }

    private static void unlift(Entry call) {
        Entry back = call.match;
        back.prev.next = back;
        if (back.next != null) {
            back.next.prev = back;
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }
}
