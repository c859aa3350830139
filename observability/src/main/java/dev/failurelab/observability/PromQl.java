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
 * each (every dashboard's filter on the participant's namespace); and its groupings, the labels
 * each aggregation and each vector match keeps (every alert rule's on the participant's namespace).
 */
public final class PromQl {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
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

    /**
     * One aggregation or vector match of an expression, with the labels it keeps or drops.
     *
     * @param operator the aggregation ({@code sum}, {@code max}, ...), or {@code ""} for a vector match
     * @param clause   {@code by}, {@code without}, {@code on}, {@code ignoring}, or {@code ""} for an
     *                 aggregation over every label
     * @param labels   the clause's labels, as written
     */
    public record Grouping(String operator, String clause, List<String> labels) {
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
        scan(expr, (name, start, end) -> {
            char before = start > 0 ? expr.charAt(start - 1) : ' ';
            int next = skipSpace(expr, end);
            char after = next < expr.length() ? expr.charAt(next) : ' ';
            if (LABEL_LISTS.contains(name) && after == '(') {
                return expr.indexOf(')', next) + 1;
            } else if (Character.isDigit(before) || before == '.' || after == '(' || KEYWORDS.contains(name)
                    || expr.startsWith("by", next) || expr.startsWith("without", next)) {
                return end; // a unit, an exponent, a function, a keyword or an aggregation with its grouping
            } else if (after == '{') {
                int close = closingBrace(expr, next);
                selectors.add(new Selector(name, expr.substring(next + 1, close).strip()));
                return close + 1;
            }
            selectors.add(new Selector(name, ""));
            return end;
        }, open -> {
            int close = closingBrace(expr, open);
            selectors.add(new Selector("", expr.substring(open + 1, close).strip()));
            return close + 1;
        });
        return selectors;
    }

    /**
     * Every aggregation (its clause before or after its argument) and every {@code on} or
     * {@code ignoring} match of {@code expr}, in order of appearance. Not a PromQL parser: it skips
     * strings, selectors' braces and range selectors.
     */
    public static List<Grouping> groupings(String expr) {
        List<Grouping> groupings = new ArrayList<>();
        scan(expr, (name, start, end) -> {
            int next = skipSpace(expr, end);
            boolean paren = next < expr.length() && expr.charAt(next) == '(';
            String clause = clauseAt(expr, next);
            if (AGGREGATIONS.contains(name) && clause != null) {
                int open = skipSpace(expr, next + clause.length());
                groupings.add(new Grouping(name, clause, labels(expr, open)));
                return expr.indexOf(')', open) + 1;
            } else if (AGGREGATIONS.contains(name) && paren) {
                int after = skipSpace(expr, closingParen(expr, next) + 1);
                String suffix = clauseAt(expr, after);
                groupings.add(suffix == null ? new Grouping(name, "", List.of())
                        : new Grouping(name, suffix, labels(expr, skipSpace(expr, after + suffix.length()))));
            } else if ((name.equals("on") || name.equals("ignoring")) && paren) {
                groupings.add(new Grouping("", name, labels(expr, next)));
                return expr.indexOf(')', next) + 1;
            } else if (LABEL_LISTS.contains(name) && paren) {
                return expr.indexOf(')', next) + 1; // a suffix clause, counted with its aggregation
            }
            return end;
        }, open -> closingBrace(expr, open) + 1);
        return groupings;
    }

    /** What a scan does at an identifier ({@code expr} from {@code start} to {@code end}): where it goes on. */
    private interface AtIdentifier {
        int visit(String name, int start, int end);
    }

    /**
     * Walks {@code expr} past strings and range selectors, handing each identifier to
     * {@code identifier} and each brace not after one to {@code braces} (both say where to go on).
     */
    private static void scan(String expr, AtIdentifier identifier, java.util.function.IntUnaryOperator braces) {
        Matcher names = IDENTIFIER.matcher(expr);
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'') {
                i = afterString(expr, i);
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (c == '{') {
                i = braces.applyAsInt(i);
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                names.find(i);
                i = identifier.visit(names.group(), i, names.end());
            } else {
                i++;
            }
        }
    }

    /** {@code by} or {@code without} if one starts at {@code at} (as a word), else null. */
    private static String clauseAt(String expr, int at) {
        for (String clause : List.of("by", "without")) {
            int end = at + clause.length();
            if (expr.startsWith(clause, at) && (end == expr.length() || expr.charAt(end) == '('
                    || Character.isWhitespace(expr.charAt(end)))) {
                return clause;
            }
        }
        return null;
    }

    private static List<String> labels(String expr, int open) {
        String list = expr.substring(open + 1, expr.indexOf(')', open)).strip();
        return list.isEmpty() ? List.of() : List.of(list.split("\\s*,\\s*"));
    }

    private static int skipSpace(String expr, int i) {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int closingParen(String expr, int open) {
        int depth = 0;
        int i = open;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'') {
                i = afterString(expr, i);
                continue;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
            i++;
        }
        return i;
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
