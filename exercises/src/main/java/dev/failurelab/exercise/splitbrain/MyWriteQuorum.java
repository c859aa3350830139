package dev.failurelab.exercise.splitbrain;

import dev.failurelab.chain.store.WriteQuorum;

/**
 * Exercise 11.9: your quorum, in the split-brain lab's store under consensus: after how many of the
 * replicas stored a write it is acknowledged to its client (and a read answered). It compiles, and
 * it does not defend: the leader's own copy is enough, as naive HA has it, so a leader cut off from
 * the others keeps acknowledging writes that the next leader never sees. Decide, then run
 * {@code ./mvnw test -Pexercise -pl exercises -am}.
 *
 * <p>What it must do (the checks print PASS or FAIL, with what they measured and a hint): the two
 * sides of any partition must never both commit; the side that keeps the most replicas must go on
 * committing whenever it can do so safely; and the cluster's size is a setting, not a constant.
 *
 * <p>Where to look: the quorum table of the lab sheet (split-brain-lab/README.md), and Raft's commit rule.
 */
public final class MyWriteQuorum implements WriteQuorum {

    @Override
    public boolean committed(int stored, int replicas) {
        // TODO: enough replicas that two sides of a partition can never both have them.
        return stored >= 1;
    }
}
