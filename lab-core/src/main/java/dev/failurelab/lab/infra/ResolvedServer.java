package dev.failurelab.lab.infra;

/**
 * A server a lab uses (Redis, PostgreSQL), and where it came from. Closing it stops the server
 * if the lab started it; a server given by URL is left alone.
 *
 * @param kind     {@code redis} or {@code postgres}
 * @param url      how to reach it: {@code redis://host:port}, or a JDBC URL
 * @param user     user name (PostgreSQL), or null
 * @param password password (PostgreSQL), or null
 * @param source   where it came from, as printed: e.g. {@code LAB_REDIS_URL} or {@code embedded}
 * @param stopper  stops it; a no-op for a server given by URL
 */
public record ResolvedServer(String kind, String url, String user, String password, String source, Stopper stopper)
        implements AutoCloseable {

    /** Stops a server the lab started. */
    @FunctionalInterface
    public interface Stopper {
        void stop() throws Exception;
    }

    /** One line saying which server is used (and, for an embedded PostgreSQL, how to log in), as every run prints it. */
    public String describe() {
        // An embedded server's password is the run's own (the user needs it to connect); one given
        // through the environment is the user's, and never printed.
        boolean own = user != null && source.startsWith("embedded");
        return kind + ": " + url + (own ? " user " + user + " password " + password : "") + " (" + source + ")";
    }

    @Override
    public void close() {
        try {
            stopper.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the embedded " + kind + ": " + e.getMessage(), e);
        }
    }
}
