package dev.failurelab.chain.capacity;

import dev.failurelab.chain.defence.SwitchableDefence;
import dev.failurelab.contract.Defence;
import dev.failurelab.contract.Defences;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bottom's queue discipline, switched live at {@code /admin/queue-discipline}; CoDel's target
 * and interval are live settings ({@code chain.queue.codel-target}, {@code chain.queue.codel-interval})
 * that {@link BoundedWorker} owns, applied by a {@link WaitLimit} (the project's, or a participant's).
 *
 * <p>Concurrency: thread-safe (a volatile policy, read at each queue decision).
 */
public final class QueueDisciplineDefence implements SwitchableDefence {

    private final WaitLimit.Factory waitLimits;
    private volatile CapacityLimiter.Policy policy;

    /**
     * @param option     the discipline at start ({@code chain.queue.discipline})
     * @param waitLimits CoDel's decision ({@code chain.queue.codel.implementation}), made anew when
     *                   its durations change
     */
    public QueueDisciplineDefence(String option, Duration codelTarget, Duration codelInterval,
            WaitLimit.Factory waitLimits) {
        QueueDiscipline discipline = QueueDiscipline.of(option).orElseThrow(() -> new IllegalArgumentException(
                "chain.queue.discipline must be one of " + Defences.QUEUE_DISCIPLINE.options() + ", not '" + option
                        + "'"));
        this.waitLimits = waitLimits;
        this.policy = new CapacityLimiter.Policy(discipline, codelTarget, codelInterval,
                waitLimits.create(codelTarget, codelInterval));
    }

    /** The policy in force now. */
    public CapacityLimiter.Policy policy() {
        return policy;
    }

    /** New CoDel durations, the discipline unchanged. */
    void codel(Duration target, Duration interval) {
        CapacityLimiter.Policy now = policy;
        if (!target.equals(now.codelTarget()) || !interval.equals(now.codelInterval())) {
            policy = new CapacityLimiter.Policy(now.discipline(), target, interval, waitLimits.create(target, interval));
        }
    }

    @Override
    public Defence defence() {
        return Defences.QUEUE_DISCIPLINE;
    }

    @Override
    public String current() {
        return policy.discipline().option();
    }

    @Override
    public void switchTo(String option) {
        CapacityLimiter.Policy now = policy;
        policy = new CapacityLimiter.Policy(QueueDiscipline.of(option).orElseThrow(), now.codelTarget(),
                now.codelInterval(), now.waitLimit());
    }

    @Override
    public Map<String, Object> settings() {
        CapacityLimiter.Policy now = policy;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("codelTargetMs", now.codelTarget().toMillis());
        view.put("codelIntervalMs", now.codelInterval().toMillis());
        view.put("codelImplementation", now.waitLimit() instanceof FacebookCodel
                ? dev.failurelab.chain.defence.DefenceImplementation.REFERENCE : now.waitLimit().getClass().getName());
        return view;
    }
}
