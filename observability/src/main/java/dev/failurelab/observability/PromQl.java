package dev.failurelab.observability;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: what has to exist in the services' exports for a
 * dashboard panel or an alert rule to show anything. Not a PromQL parser: it removes strings,
 * label matchers, range selectors and grouping clauses, then keeps the identifiers that are not
 * functions, keywords or units.
 */
public final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** The metric names {@code expr} selects, in order of appearance. */
    public static Set<String> metricNames(String expr) {
        String text = STRING.matcher(expr).replaceAll(" ");
        text = MATCHERS.matcher(text).replaceAll(" ");
        text = RANGE.matcher(text).replaceAll(" ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            int before = identifier.start() - 1;
            if (before >= 0 && (Character.isDigit(text.charAt(before)) || text.charAt(before) == '.')) {
                continue; // a unit (5m) or an exponent (1e3)
            }
            int after = identifier.end();
            while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
                after++;
            }
            if (after < text.length() && text.charAt(after) == '(') {
                continue; // a function or an aggregation
            }
            if (!KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
