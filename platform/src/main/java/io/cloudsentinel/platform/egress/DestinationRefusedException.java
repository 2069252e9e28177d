package io.cloudsentinel.platform.egress;

/**
 * A destination the policy refuses. {@link #reason()} is a fixed code ({@code malformed-url},
 * {@code scheme-not-allowed}, {@code userinfo-not-allowed}, {@code unresolvable}, {@code loopback}, {@code private},
 * {@code link-local}, {@code metadata}, {@code multicast}, {@code broadcast}, {@code unspecified}, {@code reserved});
 * the message names the host or address and why, never a path, query string or credentials.
 */
public class DestinationRefusedException extends RuntimeException {

    private final String reason;

    public DestinationRefusedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
