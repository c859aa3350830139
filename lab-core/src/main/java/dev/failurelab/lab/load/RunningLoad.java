package dev.failurelab.lab.load;

/** A load running in the background until closed: a drill's usual load, a batch job its trigger starts. */
public interface RunningLoad extends AutoCloseable {

    /** Its requests (or operations) per second, at the end of its schedule. */
    double rate();

    /** Stops it: it sends nothing more. Idempotent. */
    @Override
    void close();
}
