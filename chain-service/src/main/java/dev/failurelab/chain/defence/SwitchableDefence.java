package dev.failurelab.chain.defence;

import dev.failurelab.contract.Defence;
import java.util.Map;

/**
 * A defence of this service that can be switched live (see {@link Defence} for the shared shape:
 * one admin resource, one gauge, one script helper). A mechanism offers itself as one of these
 * beans; {@link DefenceRegistry} gives it its gauge and {@link DefenceAdminController} its resource.
 *
 * <p>Implementations are thread-safe: a switch applies to the next request, never halfway through one.
 */
public interface SwitchableDefence {

    /** What is switched: id, field, options (from the contract). */
    Defence defence();

    /** The option in force, one of {@code defence().options()}. */
    String current();

    /** Puts {@code option} (already validated as one of the options) in force. */
    void switchTo(String option);

    /** The settings shown beside the option in the admin resource's answer (e.g. {@code maxAttempts}). */
    Map<String, Object> settings();
}
