package dev.failurelab.chain.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code chain.retry.budget-implementation}: the reference by default, or a class, refused with a reason. */
class RetryThrottleTest {

    @Test
    void theReference_isTheProjectsBudget() {
        assertThat(RetryThrottle.factory(RetryThrottle.REFERENCE).create(0.1, 1, Duration.ofSeconds(10), System::nanoTime))
                .isInstanceOf(RetryBudget.class);
        assertThat(RetryThrottle.factory(RetryBudget.class.getName()).create(0.1, 1, Duration.ofSeconds(10),
                System::nanoTime)).isInstanceOf(RetryBudget.class);
    }

    @Test
    void aClassThatIsMissing_orIsNotABudget_orHasNoSuchConstructor_isRefusedNamingTheProperty() {
        assertThatThrownBy(() -> RetryThrottle.factory("dev.failurelab.exercise.NoSuchBudget"))
                .hasMessageContaining("chain.retry.budget-implementation", "no class");
        assertThatThrownBy(() -> RetryThrottle.factory(String.class.getName()))
                .hasMessageContaining("does not implement");
        assertThatThrownBy(() -> RetryThrottle.factory(WithoutTheConstructor.class.getName()))
                .hasMessageContaining("needs a public constructor");
        assertThatThrownBy(() -> RetryThrottle.factory(RetryBudget.class.getName()).create(2, 0, Duration.ofSeconds(1),
                System::nanoTime)).hasMessageContaining("ratio");
    }

    /** A throttle without the constructor a hop calls. */
    public static final class WithoutTheConstructor implements RetryThrottle {
        @Override
        public void onRequest() {
        }

        @Override
        public boolean tryAcquireRetry() {
            return false;
        }

        @Override
        public double tokens() {
            return 0;
        }
    }
}
