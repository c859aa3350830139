package dev.failurelab.lab.experiment;

import java.util.Locale;

/**
 * One hypothesis of a lab, checked against a measurement (a Chaos Toolkit-style probe with its
 * tolerance).
 *
 * @param name        short identifier, e.g. {@code naive.amplification}
 * @param description what it claims, in words
 * @param measured    the measured value
 * @param comparator  {@code >=} or {@code <=}
 * @param threshold   the tolerance, from the lab's defaults file
 * @param passed      whether the claim held
 */
public record Check(String name, String description, double measured, String comparator, double threshold,
        boolean passed) {

    public static Check atLeast(String name, String description, double measured, double threshold) {
        return new Check(name, description, measured, ">=", threshold, measured >= threshold);
    }

    public static Check atMost(String name, String description, double measured, double threshold) {
        return new Check(name, description, measured, "<=", threshold, measured <= threshold);
    }

    public static Check equalTo(String name, String description, double measured, double expected) {
        return new Check(name, description, measured, "==", expected, measured == expected);
    }

    /** e.g. {@code PASS naive.amplification 4.12 >= 3.00  bottom amplification during the brownout} */
    public String line() {
        return String.format(Locale.ROOT, "%s %-28s %8.2f %s %-8.2f %s", passed ? "PASS" : "FAIL", name, measured,
                comparator, threshold, description);
    }
}
