package dev.failurelab.lab.report;

import dev.failurelab.lab.experiment.SecondRecord;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the HTML reports: line charts over seconds (with shaded bands for the
 * phases that matter) and bar charts. No library and no network: the report opens anywhere.
 */
public final class SvgChart {

    /** The palette, in series order. */
    public static final List<String> COLORS = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
            "#8c564b");

    private static final int WIDTH = 560;
    private static final int HEIGHT = 220;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;

    /**
     * A line: {@code y[i]} at {@code x[i]}; NaN values break the line.
     *
     * @param name shown in the legend
     * @param x    x values (seconds)
     * @param y    y values
     */
    public record Series(String name, double[] x, double[] y) {

        /** One figure of an experiment's seconds, over {@link SecondRecord#second()}. */
        public static Series of(String name, List<SecondRecord> seconds, String figure) {
            return new Series(name, seconds.stream().mapToDouble(SecondRecord::second).toArray(),
                    seconds.stream().mapToDouble(s -> s.figure(figure)).toArray());
        }
    }

    /** A shaded x-range, e.g. the brownout. */
    public record Band(double from, double to, String label) {

        /**
         * The seconds of one phase of an experiment, shaded on a chart whose x is
         * {@link SecondRecord#second()}: none if the phase did not run.
         */
        public static List<Band> ofPhase(List<SecondRecord> seconds, String phase, String label) {
            int[] in = seconds.stream().filter(s -> s.phase().equals(phase)).mapToInt(SecondRecord::second).toArray();
            return in.length == 0 ? List.of() : List.of(new Band(in[0] - 1, in[in.length - 1], label));
        }
    }

    /** One bar. */
    public record Bar(String label, double value) {
    }

    private SvgChart() {
    }

    /** A line chart of {@code series} over x, with {@code bands} shaded behind. */
    public static String lines(String title, String xLabel, String yLabel, List<Series> series, List<Band> bands) {
        double xMax = 1;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xMax = Math.max(xMax, s.x()[i]);
                if (!Double.isNaN(s.y()[i]) && !Double.isInfinite(s.y()[i])) {
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        yMax = niceCeiling(yMax);
        StringBuilder svg = open(title);
        for (Band band : bands) {
            double x0 = x(band.from(), xMax);
            double x1 = x(band.to(), xMax);
            svg.append(String.format(Locale.ROOT, "<rect class=\"band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                    + " fill=\"#f4cccc\" fill-opacity=\"0.6\"><title>%s</title></rect>", x0, TOP, Math.max(0, x1 - x0),
                    HEIGHT - TOP - BOTTOM, escape(band.label())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#a33\">%s</text>",
                    x0 + 2, TOP + 10, escape(band.label())));
        }
        axes(svg, xLabel, yLabel, xMax, yMax);
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            StringBuilder points = new StringBuilder();
            int count = 0;
            for (int i = 0; i < line.x().length; i++) {
                double value = line.y()[i];
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    continue;
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(line.x()[i], xMax), y(value, yMax)));
                count++;
            }
            svg.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-series=\"%s\" data-points=\"%d\""
                    + " fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>", escape(line.name()), count,
                    COLORS.get(s % COLORS.size()), points.toString().strip()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", LEFT + 4 + s * 150, HEIGHT - 12,
                    COLORS.get(s % COLORS.size()), LEFT + 18 + s * 150, HEIGHT - 3, escape(line.name())));
        }
        return svg.append("</svg>").toString();
    }

    /** A bar chart, one bar per entry. */
    public static String bars(String title, String yLabel, List<Bar> bars) {
        double yMax = niceCeiling(bars.stream().mapToDouble(Bar::value).filter(v -> !Double.isNaN(v)).max().orElse(1));
        StringBuilder svg = open(title);
        axes(svg, "", yLabel, 0, yMax);
        double slot = (WIDTH - LEFT - RIGHT) / (double) Math.max(1, bars.size());
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double value = Double.isNaN(bar.value()) ? 0 : bar.value();
            double top = y(value, yMax);
            double x = LEFT + i * slot + slot * 0.15;
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-label=\"%s\" data-value=\"%s\" x=\"%.1f\""
                    + " y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>",
                    escape(bar.label()), number(value), x, top, slot * 0.7, HEIGHT - BOTTOM - top,
                    COLORS.get(i % COLORS.size()), escape(bar.label()), number(value)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s"
                    + "</text>", x + slot * 0.35, top - 3, number(value)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s"
                    + "</text>", x + slot * 0.35, HEIGHT - BOTTOM + 14, escape(bar.label())));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""
                + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">"
                + "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>", WIDTH, HEIGHT, WIDTH, HEIGHT,
                escape(title), LEFT, escape(title)));
    }

    private static void axes(StringBuilder svg, String xLabel, String yLabel, double xMax, double yMax) {
        int x0 = LEFT;
        int y0 = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x0, TOP,
                x0, y0));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x0, y0,
                WIDTH - RIGHT, y0));
        for (int i = 0; i <= 4; i++) {
            double value = yMax * i / 4;
            double y = y(value, yMax);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>", x0, y, WIDTH - RIGHT, y,
                    x0 - 4, y + 3, number(value)));
        }
        if (xMax > 0) {
            for (int i = 0; i <= 5; i++) {
                double value = xMax * i / 5;
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
                        + "%s</text>", x(value, xMax), y0 + 12, number(value)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#555\">%s</text>",
                WIDTH - RIGHT - 60, y0 + 24, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"10\" fill=\"#555\">%s</text>", TOP - 4,
                escape(yLabel)));
    }

    private static double x(double value, double xMax) {
        return LEFT + value / xMax * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double value, double yMax) {
        return HEIGHT - BOTTOM - Math.min(value, yMax) / yMax * (HEIGHT - TOP - BOTTOM);
    }

    private static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (value <= step * magnitude) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** A number as the charts print it: whole numbers bare, others with 1 or 2 decimals. */
    public static String number(double value) {
        if (Math.abs(value - Math.rint(value)) < 1e-9 && Math.abs(value) < 1e12) {
            return String.format(Locale.ROOT, "%d", (long) Math.rint(value));
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
    }

    /** Escapes text for HTML and SVG. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
