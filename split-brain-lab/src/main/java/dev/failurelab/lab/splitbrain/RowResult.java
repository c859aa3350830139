package dev.failurelab.lab.splitbrain;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;

/**
 * One row's measurements.
 *
 * @param row               the row's id
 * @param leadership        its leadership mode
 * @param fencing           its fencing setting
 * @param faultPhase        the phase of its fault (partition, pause)
 * @param target            the node the fault struck (the leader at the fault)
 * @param seconds           per second: leaders, term, writes by outcome
 * @param maxLeaders        the most nodes that said they led at one instant
 * @param twoLeaderSeconds  seconds in which two or more nodes said they led at one instant
 * @param acked             writes acknowledged
 * @param lost              acknowledged writes missing from the leader's copy once the replicas converged
 * @param lostExamples      a few of them (ids)
 * @param conflicting       entries the struck node held that the other side's leader did not, just before the heal
 * @param discarded         entries the nodes dropped when they took a leader's copy
 * @param violations        registers whose history is not linearizable
 * @param undecided         registers the bounded search could not decide
 * @param culprit           a violation's operation that no order could place, in words, or null
 * @param operations        operations checked
 * @param minorityCommits   writes the struck node acknowledged during the fault (after the first second of it)
 * @param recoverySeconds   from the fault to the first write acknowledged by another node; -1 if none
 * @param stale             entries the storage accepted with a token below one it had seen
 * @param fenced            entries the storage refused for their token
 * @param divergent         entries not on every replica once the run waited for them to converge
 */
public record RowResult(String row, String leadership, String fencing, String faultPhase, String target,
        List<SecondRecord> seconds, double maxLeaders, double twoLeaderSeconds, double acked, double lost,
        List<String> lostExamples, double conflicting, double discarded, double violations, double undecided,
        String culprit, double operations, double minorityCommits, double recoverySeconds, double stale,
        double fenced, double divergent) {

    /** The phases of a row, as its seconds name them. */
    public static final String BASELINE = "baseline";
    public static final String RECOVERY = "recovery";

    public RowResult {
        seconds = List.copyOf(seconds);
        lostExamples = List.copyOf(lostExamples);
    }
}
