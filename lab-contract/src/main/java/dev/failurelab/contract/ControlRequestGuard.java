package dev.failurelab.contract;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may drive the lab: the rule every control surface applies (the fault injector's control API,
 * every service's {@code /admin/*}). The lab is driven by scripts, {@code curl} and the lab itself,
 * never by a web page, so a request is refused when it comes from a browser context:
 * <ul>
 *   <li>its {@code Host} is not loopback or an allowed name (DNS rebinding: a page on
 *       {@code rebind.evil.example} that resolves to 127.0.0.1);</li>
 *   <li>it carries an {@code Origin} that is not loopback, or {@code Sec-Fetch-Site} of
 *       {@code cross-site} or {@code same-site} (a cross-site request: CSRF);</li>
 *   <li>it changes state with a browser's {@code User-Agent} ({@code Mozilla/…}), as Toxiproxy
 *       refuses them.</li>
 * </ul>
 *
 * <p>Thread-safe: immutable.
 */
public final class ControlRequestGuard {

    /** Host names always allowed: the loopback names. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final Set<String> allowedHosts;

    /** @param allowedHosts host names allowed besides loopback (e.g. compose's service names), lower case */
    public ControlRequestGuard(List<String> allowedHosts) {
        this.allowedHosts = Set.copyOf(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    /** Loopback only. */
    public static ControlRequestGuard loopbackOnly() {
        return new ControlRequestGuard(List.of());
    }

    /**
     * Why the request must be refused, or empty if it may proceed.
     *
     * @param method    the HTTP method
     * @param host      the {@code Host} header (null: HTTP/1.0 without one, allowed)
     * @param origin    the {@code Origin} header, or null
     * @param fetchSite the {@code Sec-Fetch-Site} header, or null
     * @param userAgent the {@code User-Agent} header, or null
     */
    public Optional<String> refusal(String method, String host, String origin, String fetchSite, String userAgent) {
        if (host != null && !allowedHost(hostName(host))) {
            return Optional.of("Host '" + host + "' is not this machine's loopback name: the lab's controls answer"
                    + " only to localhost (DNS rebinding protection)");
        }
        if (origin != null && !origin.equals("null") && !allowedHost(originHost(origin))) {
            return Optional.of("cross-site request from Origin '" + origin + "' refused: web pages cannot drive the"
                    + " lab (use curl, the scripts or ./lab)");
        }
        if (fetchSite != null && (fetchSite.equalsIgnoreCase("cross-site") || fetchSite.equalsIgnoreCase("same-site"))) {
            return Optional.of("cross-site request refused (Sec-Fetch-Site: " + fetchSite + "): web pages cannot drive"
                    + " the lab");
        }
        boolean changes = !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
        if (changes && userAgent != null && userAgent.startsWith("Mozilla/")) {
            return Optional.of("requests from a web browser cannot change the lab (use curl, the scripts or ./lab)");
        }
        if ("null".equals(origin) && changes) {
            return Optional.of("request from an opaque origin refused: web pages cannot drive the lab");
        }
        return Optional.empty();
    }

    /** The 403's body: {@code {"error":"forbidden","message":"<reason>"}}. */
    public static String forbiddenJson(String reason) {
        return "{\"error\":\"forbidden\",\"message\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private boolean allowedHost(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return LOOPBACK.contains(lower) || lower.startsWith("127.") && lower.matches("127(\\.\\d{1,3}){3}")
                || allowedHosts.contains(lower);
    }

    /** {@code localhost:8474} → {@code localhost}; {@code [::1]:8474} → {@code [::1]}. */
    static String hostName(String host) {
        String trimmed = host.trim();
        if (trimmed.startsWith("[")) {
            int end = trimmed.indexOf(']');
            return end < 0 ? trimmed : trimmed.substring(0, end + 1);
        }
        int colon = trimmed.lastIndexOf(':');
        return colon < 0 ? trimmed : trimmed.substring(0, colon);
    }

    private static String originHost(String origin) {
        try {
            String host = URI.create(origin.trim()).getHost();
            return host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
