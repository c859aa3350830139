package dev.failurelab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void isTimeout_findsATimeoutAmongTheCauses() {
        assertThat(Errors.isTimeout(new TimeoutException())).isTrue();
        assertThat(Errors.isTimeout(new RuntimeException(new HttpTimeoutException("request timed out")))).isTrue();
        assertThat(Errors.isTimeout(new IllegalStateException(new SocketTimeoutException()))).isTrue();
        assertThat(Errors.isTimeout(new IOException("Read timed out"))).isTrue();
        assertThat(Errors.isTimeout(new IOException("Connection refused"))).isFalse();
        assertThat(Errors.isTimeout(null)).isFalse();
    }

    @Test
    void rootMessage_isTheInnermostCause() {
        assertThat(Errors.rootMessage(new RuntimeException("outer", new IOException("Address already in use"))))
                .isEqualTo("Address already in use");
        assertThat(Errors.rootMessage(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
