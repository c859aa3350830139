package dev.failurelab.contract;

/** What a user is told when something fails: the innermost cause, not a stack trace. */
public final class Errors {

    private Errors() {
    }

    /** The innermost cause's message (its class name if it has none). */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
