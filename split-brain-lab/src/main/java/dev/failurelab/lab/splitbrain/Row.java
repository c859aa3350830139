package dev.failurelab.lab.splitbrain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One row of the split-brain lab: a fault under one leadership mode and one fencing setting.
 *
 * @param id         as {@code rows} names it
 * @param leadership the leadership defence's option
 * @param fencing    the fencing defence's option
 * @param fault      what is done to the leader
 */
public record Row(String id, String leadership, String fencing, Fault fault) {

    /** The faults. */
    public enum Fault {
        /** The leader cut from the other nodes (and from ZooKeeper), with the clients of its side: {leader} | {the rest}. */
        PARTITION("partition"),
        /** The leader paused inside a write for longer than its session: the zombie leader. */
        PAUSE("pause");

        /** The phase it is measured in. */
        public final String phase;

        Fault(String phase) {
            this.phase = phase;
        }
    }

    private static final List<Row> ALL = List.of(
            new Row("naive-partition", "naive", "off", Fault.PARTITION),
            new Row("consensus-partition", "consensus", "on", Fault.PARTITION),
            new Row("zombie", "consensus", "off", Fault.PAUSE),
            new Row("zombie-fencing", "consensus", "on", Fault.PAUSE));

    public static Optional<Row> of(String id) {
        return ALL.stream().filter(r -> r.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return ALL.stream().map(Row::id).toList();
    }

    /** Every row, in the default order. */
    public static List<Row> all() {
        return ALL;
    }

    @Override
    public String toString() {
        return id + " (" + leadership + ", fencing " + fencing + ", " + Arrays.asList(fault.phase) + ")";
    }
}
