package dev.failurelab.chain;

import dev.failurelab.chain.capacity.BoundedWorker;
import dev.failurelab.chain.capacity.CapacityLimiter;
import dev.failurelab.chain.client.DownstreamClient;
import dev.failurelab.chain.client.OutboundBulkhead;
import dev.failurelab.chain.overload.AdaptiveShedding;
import dev.failurelab.chain.overload.Degradation;
import dev.failurelab.chain.retry.RetryingCaller;
import dev.failurelab.contract.ChainMetricNames;
import dev.failurelab.contract.Deadlines;
import dev.failurelab.contract.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/chain}: the edge and the middle relay to the next hop; the bottom does the
 * work within its capacity. Every answer is timed in {@code chain.requests} by outcome.
 */
@RestController
@org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(ChainServiceApplication.IS_CHAIN_HOP)
class ChainController {

    static final String PATH = "/api/chain";

    private final Role role;
    private final Optional<RetryingCaller> downstream;
    private final Optional<OutboundBulkhead> bulkhead;
    private final Optional<BoundedWorker> worker;
    private final Optional<AdaptiveShedding> shedding;
    private final Optional<Degradation> degradation;
    private final Timer succeeded;
    private final Timer degraded;
    private final Timer failed;
    private final Timer rejected;

    ChainController(ChainProperties properties, Optional<RetryingCaller> downstream,
            Optional<OutboundBulkhead> bulkhead, Optional<BoundedWorker> worker, Optional<AdaptiveShedding> shedding,
            Optional<Degradation> degradation, MeterRegistry registry) {
        this.role = properties.role();
        this.downstream = downstream;
        this.bulkhead = bulkhead;
        this.worker = worker;
        this.shedding = shedding;
        this.degradation = degradation;
        this.succeeded = timer(registry, "success");
        this.degraded = timer(registry, "degraded");
        this.failed = timer(registry, "error");
        this.rejected = timer(registry, "rejected");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return LatencyTimers.builder(ChainMetricNames.REQUESTS, "Requests served by this hop")
                .tag(ChainMetricNames.OUTCOME, outcome)
                .register(registry);
    }

    @GetMapping(PATH)
    ResponseEntity<?> chain(@RequestHeader(value = Deadlines.HEADER, required = false) String deadlineHeader,
            @RequestHeader(value = Priority.HEADER, required = false) String priorityHeader)
            throws InterruptedException {
        long start = System.nanoTime();
        java.util.OptionalLong deadline = Deadlines.parse(deadlineHeader);
        Optional<Priority> priority = Priority.parse(priorityHeader);
        if (priority.isEmpty()) {
            return AdminBody.badRequest(Priority.HEADER, Priority.HEADER + " must be live or batch, not '"
                    + priorityHeader + "'");
        }
        ResponseEntity<?> response = role == Role.BOTTOM ? work(priority.get(), deadline) : relay(deadline);
        Timer timer = response.getBody() instanceof Degradation.DegradedResponse ? degraded
                : response.getStatusCode().is2xxSuccessful() ? succeeded
                : response.getBody() instanceof ChainError error && error.error().equals("overloaded") ? rejected
                : failed;
        timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return response;
    }

    private ResponseEntity<?> work(Priority priority, java.util.OptionalLong deadline) throws InterruptedException {
        BoundedWorker bottom = worker.orElseThrow();
        AdaptiveShedding.Admission admission = shedding.map(AdaptiveShedding::admit)
                .orElse(new AdaptiveShedding.Admission(Optional.empty(), false));
        Optional<CapacityLimiter.Rejection> rejection;
        if (admission.shed()) {
            rejection = bottom.shed(priority);
        } else {
            try {
                rejection = bottom.serve(priority, deadline);
            } catch (InterruptedException | RuntimeException e) {
                admission.listener().ifPresent(com.netflix.concurrency.limits.Limiter.Listener::onIgnore);
                throw e;
            }
            Optional<CapacityLimiter.Rejection> served = rejection;
            admission.listener().ifPresent(listener -> {
                if (served.isEmpty()) {
                    listener.onSuccess();
                } else {
                    listener.onDropped(); // refused behind the limit: the limit comes down
                }
            });
        }
        if (rejection.isPresent()) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ChainError(role.id(), "overloaded", rejection.get().tag(), 0));
        }
        return ResponseEntity.ok(new ChainResponse(List.of(new ChainResponse.Hop(role.id(), 0))));
    }

    private ResponseEntity<?> relay(java.util.OptionalLong deadline) {
        OutboundBulkhead calls = bulkhead.orElseThrow();
        ResponseEntity<?> response;
        if (!calls.tryEnter()) {
            response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ChainError(role.id(), "overloaded", "bulkhead_full", 0));
        } else {
            try {
                response = relayWithin(deadline);
            } finally {
                calls.release();
            }
        }
        Degradation degrading = degradation.filter(Degradation::on).orElse(null);
        return degrading == null ? response : degrade(degrading, response);
    }

    /** With degradation on: remembers a good answer, and answers a failed call degraded. */
    private ResponseEntity<?> degrade(Degradation degradation, ResponseEntity<?> response) {
        if (response.getBody() instanceof ChainResponse good) {
            degradation.remember(good);
            return response;
        }
        if (!(response.getBody() instanceof ChainError error) || response.getStatusCode().is4xxClientError()) {
            return response; // a caller's mistake stays theirs
        }
        String reason = error.cause() == null ? error.error() : error.cause();
        Degradation.DegradedResponse answer = degradation.answer(new ChainResponse.Hop(role.id(), error.attempts()),
                reason);
        return ResponseEntity.status(HttpStatus.NON_AUTHORITATIVE_INFORMATION).header(Degradation.HEADER, reason)
                .body(answer);
    }

    private ResponseEntity<?> relayWithin(java.util.OptionalLong deadline) {
        RetryingCaller.Outcome outcome = downstream.orElseThrow().call(PATH, deadline);
        DownstreamClient.Attempt last = outcome.last();
        if (last.isSuccess()) {
            return ResponseEntity.ok(last.body().prepend(new ChainResponse.Hop(role.id(), outcome.attempts())));
        }
        String cause = last.status() > 0 ? "http_" + last.status() : last.outcome().tag();
        if (outcome.doNotRetry()) {
            // Retries stay in one layer: this hop retried (or its budget refused), so say so.
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(DownstreamClient.DO_NOT_RETRY_HEADER, "overloaded")
                    .body(new ChainError(role.id(), "downstream_failed", cause, outcome.attempts()));
        }
        if (last.outcome() == dev.failurelab.chain.client.AttemptOutcome.CLIENT_ERROR) {
            // A 4xx keeps its meaning upstream (a 429 stays a 429): it is not this hop's failure, and
            // as a 502 it would be retried by the hop above.
            return ResponseEntity.status(last.status())
                    .body(new ChainError(role.id(), "downstream_refused", cause, outcome.attempts()));
        }
        HttpStatus status = last.outcome() == dev.failurelab.chain.client.AttemptOutcome.TIMEOUT
                ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
        return ResponseEntity.status(status)
                .body(new ChainError(role.id(), "downstream_failed", cause, outcome.attempts()));
    }
}
