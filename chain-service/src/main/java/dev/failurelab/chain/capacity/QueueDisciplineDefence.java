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
 * that {@link BoundedWorker} owns.
 *
 * <p>Concurrency: thread-safe (a volatile policy, read at each queue decision).
 */
public final class QueueDisciplineDefence implements SwitchableDefence {

    private volatile CapacityLimiter.Policy policy;

    /** @param option the discipline at start ({@code chain.queue.discipline}) */
    public QueueDisciplineDefence(String option, Duration codelTarget, Duration codelInterval) {
        QueueDiscipline discipline = QueueDiscipline.of(option).orElseThrow(() -> new IllegalArgumentException(
                "chain.queue.discipline must be one of " + Defences.QUEUE_DISCIPLINE.options() + ", not '" + option
                        + "'"));
        this.policy = new CapacityLimiter.Policy(discipline, codelTarget, codelInterval);
    }

    /** The policy in force now. */
    public CapacityLimiter.Policy policy() {
        return policy;
    }

    /** New CoDel durations, the discipline unchanged. */
    void codel(Duration target, Duration interval) {
        policy = new CapacityLimiter.Policy(policy.discipline(), target, interval);
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
                now.codelInterval());
    }

    @Override
    public Map<String, Object> settings() {
        CapacityLimiter.Policy now = policy;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("codelTargetMs", now.codelTarget().toMillis());
        view.put("codelIntervalMs", now.codelInterval().toMillis());
        return view;
    }
}
