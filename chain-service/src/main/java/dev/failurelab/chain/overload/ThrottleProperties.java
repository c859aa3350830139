package dev.failurelab.chain.overload;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The adaptive throttle on a calling hop's attempts ({@code chain.throttle.*}), read at start.
 *
 * @param mode   {@code off} or {@code on} at start (switched live at {@code /admin/adaptive-throttle})
 * @param k      the SRE book's K: up to K × accepts are sent
 * @param window how far back requests and accepts count (the book's 2 minutes, compressed to the labs' scale)
 * @param implementation the throttle: {@code reference} ({@link AdaptiveThrottle}), or the class of a
 *               {@link ClientThrottle} written in the cascade exercise
 */
@ConfigurationProperties("chain.throttle")
public record ThrottleProperties(
        @DefaultValue("off") String mode,
        @DefaultValue("2") double k,
        @DefaultValue("1s") Duration window,
        @DefaultValue(ClientThrottle.REFERENCE) String implementation) {
}
