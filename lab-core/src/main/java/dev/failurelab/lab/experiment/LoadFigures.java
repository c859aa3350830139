package dev.failurelab.lab.experiment;

import dev.failurelab.lab.load.LoadTimeline;
import java.util.Map;

/**
 * The figures of one second that the load generator alone gives, under the names the labs share:
 * requests offered, answered, failed (errors, timeouts and refused connections), the share failed,
 * and the p99 from each request's intended start.
 */
public final class LoadFigures {

    public static final String OFFERED = "offered_rps";
    public static final String OK = "ok";
    public static final String ERRORS = "errors";
    public static final String ERROR_SHARE = "error_share";
    public static final String P99_MS = "p99_ms";

    private LoadFigures() {
    }

    /** Puts this second's load figures into {@code figures}, first (they lead the display order). */
    public static void put(Map<String, Double> figures, LoadTimeline.SecondSample load) {
        long errors = load.failed() + load.timeouts() + load.connectErrors();
        figures.put(OFFERED, (double) load.sent());
        figures.put(OK, (double) load.succeeded());
        figures.put(ERRORS, (double) errors);
        figures.put(ERROR_SHARE, load.completed() == 0 ? 0.0 : (double) errors / load.completed());
        figures.put(P99_MS, load.p99Millis());
    }
}
