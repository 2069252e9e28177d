package io.cloudsentinel.platform.egress;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How one request of {@link EgressClient} went. */
public sealed interface Exchange permits Exchange.Answered, Exchange.NotConnected, Exchange.NoAnswer {

    /** A complete answer; header names are lower-case. */
    record Answered(int status, Map<String, List<String>> headers, byte[] body) implements Exchange {

        /** The first value of the header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** Connecting or the TLS handshake failed: the request provably never left. */
    record NotConnected(Throwable cause) implements Exchange {
    }

    /** The request was sent, or may have been, and no complete answer came: timeout, reset, oversize answer. */
    record NoAnswer(Throwable cause) implements Exchange {
    }
}
