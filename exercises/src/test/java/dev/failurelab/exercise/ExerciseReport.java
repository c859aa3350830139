package dev.failurelab.exercise;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints one line per exercise check: {@code PASS} or {@code FAIL}, its name, and on failure
 * what was measured and the hint (the assertion's message). Used by every exercise.
 */
public final class ExerciseReport implements TestWatcher {

    @Override
    public void testSuccessful(ExtensionContext context) {
        System.out.println("PASS " + context.getDisplayName());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String message = Optional.ofNullable(cause.getMessage()).orElse(cause.toString()).strip();
        System.out.println("FAIL " + context.getDisplayName() + "\n     " + message.replace("\n", "\n     "));
    }
}
