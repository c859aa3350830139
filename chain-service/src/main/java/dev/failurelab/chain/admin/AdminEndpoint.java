package dev.failurelab.chain.admin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller of the admin API ({@code /admin/*}). It is served on the management port, beside
 * the actuator, never on the port that takes user traffic: {@link ManagementEndpoints} registers
 * every such controller there, and the application's component scan leaves them out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@RestController
public @interface AdminEndpoint {
}
