package dev.failurelab.lab.splitbrain;

/**
 * One client operation on one register (a key of the store), as the workload saw it: invoked at
 * {@code call}, answered at {@code ret} (both in nanoseconds on one clock).
 *
 * <ul>
 *   <li>{@link Outcome#OK}: it took effect (a write acknowledged; a read that returned {@code value});</li>
 *   <li>{@link Outcome#INFO}: unknown (a timeout, a write the store could not commit after storing it
 *       somewhere): it may take effect at any time after its call, or never;</li>
 *   <li>{@link Outcome#FAIL}: it certainly did not take effect (refused before anything was stored).</li>
 * </ul>
 *
 * @param id     its index in the history
 * @param client the client that made it
 * @param key    the register
 * @param kind   write or read
 * @param value  the value written, or the value read ({@link #NONE} for a register never written)
 */
public record Operation(int id, int client, String key, Kind kind, long value, long call, long ret, Outcome outcome) {

    /** What a read of a register never written returns. */
    public static final long NONE = 0;

    /** Write a value, or read one. */
    public enum Kind {
        WRITE, READ
    }

    /** Whether it took effect. */
    public enum Outcome {
        OK, INFO, FAIL
    }

    public Operation {
        if (ret < call) {
            throw new IllegalArgumentException("operation " + id + " returns before its call");
        }
    }

    /** A write of {@code value}. */
    public static Operation write(int id, int client, String key, long value, long call, long ret, Outcome outcome) {
        return new Operation(id, client, key, Kind.WRITE, value, call, ret, outcome);
    }

    /** A read that returned {@code value}. */
    public static Operation read(int id, int client, String key, long value, long call, long ret) {
        return new Operation(id, client, key, Kind.READ, value, call, ret, Outcome.OK);
    }

    @Override
    public String toString() {
        return "client " + client + " " + (kind == Kind.WRITE ? "write " + value : "read -> " + value) + " on " + key
                + " [" + call + ", " + (outcome == Outcome.INFO ? "?" : String.valueOf(ret)) + "] " + outcome;
    }
}
