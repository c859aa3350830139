package dev.failurelab.contract;

/** How failures are read: the innermost cause (what a user is told), and whether a call timed out. */
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

    /**
     * Whether {@code e} or a cause of it is a timeout: any {@code …TimeoutException} (the JDK's
     * {@code TimeoutException}, {@code HttpTimeoutException}, {@code SocketTimeoutException},
     * Netty's {@code ReadTimeoutException}) or an I/O error that says it "timed out". The chain's
     * client and the load generator classify their failures with it, alike.
     */
    public static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getSimpleName().endsWith("TimeoutException")) {
                return true;
            }
            if (t instanceof java.io.IOException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
                return true;
            }
        }
        return false;
    }
}
