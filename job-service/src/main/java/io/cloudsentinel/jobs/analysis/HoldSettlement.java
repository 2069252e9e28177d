package io.cloudsentinel.jobs.analysis;

import java.util.Optional;

import io.cloudsentinel.platform.egress.Exchange;

/**
 * What becomes of a call's hold once the call is over. Real spend is never dropped: whatever the provider reports
 * is charged, and a request that may have reached the model with no usage reported is charged at the hold's worst
 * case ({@code estimated}). Only a request that provably never reached it, or that the provider refused without
 * reporting usage, frees the hold.
 */
public sealed interface HoldSettlement {

    /** Charge these tokens at the hold's price. */
    record Settle(long inputTokens, long outputTokens, boolean estimated) implements HoldSettlement {
    }

    /** Free the hold: nothing was spent. */
    record Release() implements HoldSettlement {
    }

    /**
     * @param reported the usage the answer reported, if it came and said
     * @param reservedInput the input tokens the hold reserved (the estimate's upper bound)
     * @param reservedOutput the output tokens it reserved ({@code max_tokens})
     */
    static HoldSettlement after(Exchange exchange, Optional<ChatCompletion.Usage> reported, long reservedInput,
            long reservedOutput) {
        Settle worstCase = new Settle(reservedInput, reservedOutput, true);
        if (exchange instanceof Exchange.NotConnected) {
            // DNS, connect or TLS failed: the request never left
            return new Release();
        }
        if (exchange instanceof Exchange.Answered answered) {
            return reported.<HoldSettlement> map(usage -> new Settle(usage.inputTokens(), usage.outputTokens(), false))
                    .orElse(answered.status() / 100 == 2 ? worstCase : new Release());
        }
        // sent (or maybe sent) and no complete answer: the model may have run to max_tokens
        return worstCase;
    }
}
