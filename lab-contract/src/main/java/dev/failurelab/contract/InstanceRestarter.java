package dev.failurelab.contract;

/**
 * How an instance that shares its JVM with the rest of its topology restarts ({@code ./lab up}, a
 * lab, a drill): the embedded topology puts one in each app's context. Absent where the instance is
 * a process of its own (compose): there, that process is what restarts.
 */
public interface InstanceRestarter {

    /**
     * Stops the instance and starts it again with its start-up settings, in the background, a moment
     * after the call that asked for it is answered.
     *
     * @return false if a restart is already under way (nothing more is done)
     */
    boolean restartSoon();
}
