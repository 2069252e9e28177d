package io.cloudsentinel.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The client address a request came from: the connection's peer, unless that peer is a trusted proxy, in which case
 * the rightmost address of {@code X-Forwarded-For} that is not a trusted proxy. Hand-written rather than Quarkus's
 * {@code quarkus.http.proxy.*}: that takes the leftmost entry, which the client writes itself when the proxy appends
 * (as nginx and most load balancers do), so a flood could name a new address on every request.
 */
@ApplicationScoped
public class ClientAddress {

    /** An address or CIDR range of trusted proxies. */
    record Range(byte[] network, int prefix) {

        static Range parse(String text) {
            String value = text.strip();
            int slash = value.indexOf('/');
            byte[] address = literal(slash < 0 ? value : value.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("cs.gateway.trusted-proxies: " + value
                        + " is not an IP address or CIDR range");
            }
            int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(value.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("cs.gateway.trusted-proxies: prefix of " + value + " out of range");
            }
            return new Range(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address == null || address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> trusted;

    @Inject
    public ClientAddress(GatewayConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    ClientAddress(List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String proxy : trustedProxies) {
            if (!proxy.isBlank()) {
                ranges.add(Range.parse(proxy));
            }
        }
        this.trusted = List.copyOf(ranges);
    }

    String of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        return of(peer == null ? "unknown" : peer.hostAddress(), request.getHeader("X-Forwarded-For"));
    }

    String of(String peer, String forwardedFor) {
        if (trusted.isEmpty() || !isTrusted(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop) == null) {
                return client; // a hop that is not an address: nothing left of it can be believed
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        return trusted.stream().anyMatch(range -> range.contains(bytes));
    }

    /** The bytes of an IP literal, or null: never a name lookup. */
    private static byte[] literal(String text) {
        String value = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = value.contains(":") && value.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(value).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
