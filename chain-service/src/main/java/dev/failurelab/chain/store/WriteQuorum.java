package dev.failurelab.chain.store;

import dev.failurelab.chain.defence.DefenceImplementation;

/**
 * Under consensus, when a write is committed (acknowledged to its client) and when a read is
 * confirmed: after how many of the cluster's replicas stored it (or confirmed the leader's token).
 * The node counts and calls; a quorum only answers, and must be thread-safe. The project's is
 * {@link MajorityQuorum}; the split-brain exercise has the participant write one.
 */
public interface WriteQuorum {

    /**
     * @param stored   replicas that stored the entry (or confirmed the token), the leader's own included
     * @param replicas the replicas of the cluster, the leader included
     * @return whether that is enough: the write is acknowledged, the read answered
     */
    boolean committed(int stored, int replicas);

    /**
     * The quorum {@code implementation} names: {@code reference} (the project's), or a class with a
     * public no-argument constructor (the exercise's).
     *
     * @throws IllegalArgumentException naming {@code chain.store.quorum} and what is missing
     */
    static WriteQuorum of(String implementation) {
        if (DefenceImplementation.isReference(implementation)) {
            return new MajorityQuorum();
        }
        return DefenceImplementation.load("chain.store.quorum", implementation, WriteQuorum.class, "()").create();
    }
}
