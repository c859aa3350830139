package dev.failurelab.lab.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failurelab.lab.splitbrain.LinearizabilityChecker.Status;
import dev.failurelab.lab.splitbrain.Operation.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker();
    private final List<Operation> history = new ArrayList<>();

    private void write(int client, long value, long call, long ret) {
        history.add(Operation.write(history.size(), client, "k", value, call, ret, Outcome.OK));
    }

    private void writeUnknown(int client, long value, long call) {
        history.add(Operation.write(history.size(), client, "k", value, call, call, Outcome.INFO));
    }

    private void read(int client, long value, long call, long ret) {
        history.add(Operation.read(history.size(), client, "k", value, call, ret));
    }

    private LinearizabilityChecker.RegisterVerdict only() {
        LinearizabilityChecker.Verdict verdict = checker.check(history);
        assertThat(verdict.registers()).hasSize(1);
        return verdict.registers().get(0);
    }

    @Test
    void aSequentialHistoryIsLinearizable() {
        read(1, Operation.NONE, 0, 1);
        write(1, 10, 2, 3);
        read(2, 10, 4, 5);
        write(2, 20, 6, 7);
        read(1, 20, 8, 9);
        assertThat(only().status()).isEqualTo(Status.LINEARIZABLE);
    }

    @Test
    void aReadConcurrentWithAWriteMayReturnEitherValue() {
        write(1, 10, 0, 1);
        write(1, 20, 2, 10);
        read(2, 10, 3, 4);
        read(3, 20, 5, 6);
        assertThat(only().status()).isEqualTo(Status.LINEARIZABLE);
    }

    @Test
    void aStaleReadAfterANewerWriteCompletedIsAViolation() {
        write(1, 10, 0, 1);
        write(1, 20, 2, 3);
        read(2, 10, 4, 5); // the lost-update signature: a stale leader answering
        LinearizabilityChecker.RegisterVerdict verdict = only();
        assertThat(verdict.status()).isEqualTo(Status.VIOLATION);
        assertThat(verdict.culprit().kind()).isEqualTo(Operation.Kind.READ);
        assertThat(verdict.culprit().value()).isEqualTo(10);
    }

    @Test
    void readsMustNotGoBackInTime() {
        // Two concurrent writes; one reader sees 20 then 10: no single order of the writes explains both.
        write(1, 10, 0, 10);
        write(2, 20, 0, 10);
        read(3, 20, 11, 12);
        read(3, 10, 13, 14);
        assertThat(only().status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void aReadOfAValueNeverWrittenIsAViolation() {
        write(1, 10, 0, 1);
        read(2, 99, 2, 3);
        assertThat(only().status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void anAcknowledgedWriteThatDisappearsIsAViolation() {
        // Split brain's signature on a register: the write was acknowledged, and later reads show the value before it.
        write(1, 10, 0, 1);
        write(2, 20, 2, 3);
        read(3, 20, 4, 5);
        read(3, 10, 6, 7);
        assertThat(only().status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void aWriteOfUnknownOutcomeMayTakeEffectLaterOrNever() {
        write(1, 10, 0, 1);
        writeUnknown(2, 20, 2); // timed out: maybe stored
        read(3, 10, 5, 6);
        read(3, 20, 7, 8); // it took effect after all, late
        assertThat(only().status()).isEqualTo(Status.LINEARIZABLE);

        history.clear();
        write(1, 10, 0, 1);
        writeUnknown(2, 20, 2);
        read(3, 10, 5, 6); // never took effect
        assertThat(only().status()).isEqualTo(Status.LINEARIZABLE);
    }

    @Test
    void aWriteOfUnknownOutcomeCannotTakeEffectBeforeItsCall() {
        write(1, 10, 0, 1);
        read(2, 20, 2, 3);
        writeUnknown(3, 20, 4);
        assertThat(only().status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void failedOperationsAreLeftOut() {
        write(1, 10, 0, 1);
        history.add(Operation.write(history.size(), 2, "k", 20, 2, 3, Outcome.FAIL));
        read(3, 10, 4, 5);
        assertThat(only().status()).isEqualTo(Status.LINEARIZABLE);
    }

    @Test
    void eachRegisterIsCheckedOnItsOwn() {
        history.add(Operation.write(0, 1, "a", 10, 0, 1, Outcome.OK));
        history.add(Operation.write(1, 1, "b", 20, 2, 3, Outcome.OK));
        history.add(Operation.read(2, 2, "a", 10, 4, 5));
        history.add(Operation.read(3, 2, "b", 10, 6, 7)); // b never held 10
        LinearizabilityChecker.Verdict verdict = checker.check(history);
        assertThat(verdict.registers()).extracting(LinearizabilityChecker.RegisterVerdict::key).containsExactly("a", "b");
        assertThat(verdict.registers()).extracting(LinearizabilityChecker.RegisterVerdict::status)
                .containsExactly(Status.LINEARIZABLE, Status.VIOLATION);
        assertThat(verdict.violations()).isEqualTo(1);
        assertThat(verdict.linearizable()).isFalse();
    }

    @Test
    void aLongConcurrentHistoryOfARealRegisterIsLinearizable() {
        // Eight clients on one atomic register: each operation takes effect at a random instant inside
        // its interval, so the history is linearizable by construction; the search must say so.
        Random random = new Random(42);
        long[] register = {Operation.NONE};
        int clients = 8;
        long[] busyUntil = new long[clients];
        record Pending(int client, boolean write, long value, long call, long point, long ret) {
        }
        List<Pending> pending = new ArrayList<>();
        long next = 1;
        for (int i = 0; i < 2000; i++) {
            int client = random.nextInt(clients);
            long call = busyUntil[client] + random.nextInt(5);
            long point = call + random.nextInt(10);
            long ret = point + random.nextInt(10);
            busyUntil[client] = ret + 1;
            pending.add(new Pending(client, random.nextBoolean(), next++, call, point, ret));
        }
        pending.sort(java.util.Comparator.comparingLong(Pending::point));
        for (Pending p : pending) {
            if (p.write()) {
                register[0] = p.value();
                history.add(Operation.write(history.size(), p.client(), "k", p.value(), p.call(), p.ret(), Outcome.OK));
            } else {
                history.add(Operation.read(history.size(), p.client(), "k", register[0], p.call(), p.ret()));
            }
        }
        LinearizabilityChecker.RegisterVerdict verdict = only();
        assertThat(verdict.status()).isEqualTo(Status.LINEARIZABLE);
        assertThat(verdict.operations()).isEqualTo(2000);

        // One read, well after everything before it, turned stale: now no order exists.
        Operation lastRead = history.stream().filter(o -> o.kind() == Operation.Kind.READ).reduce((a, b) -> b).orElseThrow();
        long end = history.stream().mapToLong(Operation::ret).max().orElseThrow();
        history.add(Operation.write(history.size(), 9, "k", 999_999, end + 10, end + 11, Outcome.OK));
        history.add(Operation.read(history.size(), 9, "k", lastRead.value() == 999_999 ? 1 : lastRead.value(), end + 12, end + 13));
        assertThat(only().status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void anUndecidedSearchIsUnknownNeverLinearizable() {
        LinearizabilityChecker tiny = new LinearizabilityChecker(3);
        for (int i = 0; i < 20; i++) {
            write(i, i + 1, 0, 100);
        }
        read(99, 7, 101, 102);
        LinearizabilityChecker.Verdict verdict = tiny.check(history);
        assertThat(verdict.registers().get(0).status()).isEqualTo(Status.UNKNOWN);
        assertThat(verdict.linearizable()).isFalse();
        assertThat(verdict.unknown()).isEqualTo(1);
    }

    @Test
    void anOperationCannotReturnBeforeItsCall() {
        assertThatThrownBy(() -> Operation.read(0, 1, "k", 0, 5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returns before its call");
        assertThatThrownBy(() -> new LinearizabilityChecker(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
