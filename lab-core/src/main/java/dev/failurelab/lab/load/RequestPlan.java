package dev.failurelab.lab.load;

/**
 * What each request of a load is, decided when it is sent: by default a {@code GET} of the target
 * itself; a keyed load ({@link KeyedRequests}) picks a method and a path per request.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface RequestPlan {

    /** Every request a {@code GET} of the target as it is. */
    RequestPlan TARGET = index -> null;

    /**
     * One request.
     *
     * @param post whether it is a {@code POST} (with no body), else a {@code GET}
     * @param path its path, resolved against the target
     */
    record Request(boolean post, String path) {
    }

    /**
     * @param index the request's place in the load (0, 1, 2, ...)
     * @return the request, or null for a {@code GET} of the target
     */
    Request of(long index);
}
