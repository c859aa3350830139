package dev.failurelab.chain.retry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The budget's configuration. Its behaviour (the ratio over the window, the reserve, expiry,
 * tokens, concurrency) is the retry-storm exercise's, which runs against this class in every
 * build ({@code exercises/}: {@code RetryBudgetExercise}, through {@code ExercisesAreHonestTest}).
 */
class RetryBudgetTest {

    @Test
    void constructor_rejectsBadConfiguration_namingTheParameter() {
        assertThatThrownBy(() -> new RetryBudget(1.5, 0, Duration.ofSeconds(10), System::nanoTime))
                .hasMessageContaining("ratio");
        assertThatThrownBy(() -> new RetryBudget(0.1, -1, Duration.ofSeconds(10), System::nanoTime))
                .hasMessageContaining("minRetriesPerSecond");
        assertThatThrownBy(() -> new RetryBudget(0.1, 0, Duration.ofMillis(1), System::nanoTime))
                .hasMessageContaining("window");
    }
}
