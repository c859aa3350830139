package dev.failurelab.lab.splitbrain;

/** The names of the split-brain lab's per-second figures. */
final class SplitBrainFigures {

    /** The most nodes that said they led at one instant in the second. */
    static final String LEADERS = "leaders";
    /** The highest term (fencing token) a node reported in the second. */
    static final String TERM = "term";
    /** Writes acknowledged in the second. */
    static final String ACKED = "acked";
    /** Writes acknowledged by the node the fault struck. */
    static final String ACKED_STRUCK = "acked_struck";
    /** Writes refused (not the leader, fenced, unreachable): certainly not stored. */
    static final String REFUSED = "refused";
    /** Writes of unknown outcome (no quorum, timeout). */
    static final String UNKNOWN = "unknown";
    /** Reads answered. */
    static final String READS = "reads";

    private SplitBrainFigures() {
    }
}
