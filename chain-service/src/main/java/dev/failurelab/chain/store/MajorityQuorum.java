package dev.failurelab.chain.store;

/**
 * A majority: floor(N/2) + 1 of the N replicas. Any two majorities share a replica, so a leader
 * that gathers a majority's log holds every committed write, and the two sides of a partition
 * cannot both commit; N replicas survive floor((N-1)/2) failures.
 *
 * <p>Stateless; thread-safe.
 */
public final class MajorityQuorum implements WriteQuorum {

    @Override
    public boolean committed(int stored, int replicas) {
        return stored >= replicas / 2 + 1;
    }
}
