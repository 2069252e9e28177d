package io.cloudsentinel.jobs.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.egress.Exchange;

/** What becomes of a hold after each way a model call can end (plain logic, no Quarkus). */
class AnalysisHoldSettlementTest {

    private static final Optional<ChatCompletion.Usage> REPORTED = Optional.of(new ChatCompletion.Usage(812, 97));
    private static final long RESERVED_INPUT = 1_000;
    private static final long RESERVED_OUTPUT = 1_500;

    @Test
    void aRequestThatNeverLeftReleasesTheHold() {
        assertThat(after(new Exchange.NotConnected(new ConnectException("refused")), Optional.empty()))
                .isInstanceOf(HoldSettlement.Release.class);
    }

    @Test
    void aRequestThatGotNoAnswerIsChargedAtTheWorstCaseEstimated() {
        assertThat(after(new Exchange.NoAnswer(new TimeoutException()), Optional.empty()))
                .isEqualTo(new HoldSettlement.Settle(RESERVED_INPUT, RESERVED_OUTPUT, true));
        assertThat(after(new Exchange.NoAnswer(new IOException("reset")), Optional.empty()))
                .isEqualTo(new HoldSettlement.Settle(RESERVED_INPUT, RESERVED_OUTPUT, true));
    }

    @Test
    void anAnswerIsChargedExactlyWhatItReports() {
        assertThat(after(answered(200), REPORTED)).isEqualTo(new HoldSettlement.Settle(812, 97, false));
    }

    @Test
    void anAnswerWithoutUsageIsChargedAtTheWorstCaseEstimated() {
        assertThat(after(answered(200), Optional.empty()))
                .isEqualTo(new HoldSettlement.Settle(RESERVED_INPUT, RESERVED_OUTPUT, true));
    }

    @Test
    void anErrorWithUsageIsChargedItAndAnErrorWithoutIsReleased() {
        assertThat(after(answered(400), REPORTED)).isEqualTo(new HoldSettlement.Settle(812, 97, false));
        assertThat(after(answered(503), Optional.empty())).isInstanceOf(HoldSettlement.Release.class);
        assertThat(after(answered(401), Optional.empty())).isInstanceOf(HoldSettlement.Release.class);
    }

    private static HoldSettlement after(Exchange exchange, Optional<ChatCompletion.Usage> usage) {
        return HoldSettlement.after(exchange, usage, RESERVED_INPUT, RESERVED_OUTPUT);
    }

    private static Exchange.Answered answered(int status) {
        return new Exchange.Answered(status, Map.of("content-type", List.of("application/json")), new byte[0]);
    }
}
