package dev.failurelab.observability;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The selectors and metric names a PromQL expression reads: what has to exist in the services'
 * exports for a dashboard panel or an alert rule to show anything, and the label matchers beside
 * each (every dashboard's filter on the participant's namespace).
 */
public final class PromQl {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");

    private PromQl() {
    }

    /**
     * One instant or range vector selector of an expression.
     *
     * @param metric   the metric name
     * @param matchers what its braces hold, as written ({@code ""} without braces)
     */
    public record Selector(String metric, String matchers) {
    }

    /** The metric names {@code expr} selects, in order of appearance: its {@link #selectors}' names. */
    public static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        for (Selector selector : selectors(expr)) {
            if (!selector.metric().isEmpty()) {
                names.add(selector.metric());
            }
        }
        return names;
    }

    /**
     * Every selector of {@code expr}, in order of appearance (a name read twice, twice), with the
     * label matchers written beside it. Not a PromQL parser: it skips strings, range selectors and
     * grouping clauses, and keeps the identifiers that are not functions, keywords or units.
     */
    public static List<Selector> selectors(String expr) {
        List<Selector> selectors = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'') {
                i = afterString(expr, i);
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                Matcher identifier = IDENTIFIER.matcher(expr);
                identifier.find(i);
                String name = identifier.group();
                char before = i > 0 ? expr.charAt(i - 1) : ' ';
                int next = identifier.end();
                while (next < expr.length() && Character.isWhitespace(expr.charAt(next))) {
                    next++;
                }
                char after = next < expr.length() ? expr.charAt(next) : ' ';
                i = identifier.end();
                if (LABEL_LISTS.contains(name) && after == '(') {
                    i = expr.indexOf(')', next) + 1;
                } else if (Character.isDigit(before) || before == '.' || after == '(' || KEYWORDS.contains(name)
                        || expr.startsWith("by", next) || expr.startsWith("without", next)) {
                    // a unit, an exponent, a function, a keyword or an aggregation with its grouping
                } else if (after == '{') {
                    int close = closingBrace(expr, next);
                    selectors.add(new Selector(name, expr.substring(next + 1, close).strip()));
                    i = close + 1;
                } else {
                    selectors.add(new Selector(name, ""));
                }
            } else if (c == '{') {
                int close = closingBrace(expr, i);
                selectors.add(new Selector("", expr.substring(i + 1, close).strip()));
                i = close + 1;
            } else {
                i++;
            }
        }
        return selectors;
    }

    private static int afterString(String expr, int open) {
        char quote = expr.charAt(open);
        int i = open + 1;
        while (i < expr.length() && expr.charAt(i) != quote) {
            i += expr.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static int closingBrace(String expr, int open) {
        int i = open + 1;
        while (i < expr.length() && expr.charAt(i) != '}') {
            i = expr.charAt(i) == '"' || expr.charAt(i) == '\'' ? afterString(expr, i) : i + 1;
        }
        return i;
    }

}
