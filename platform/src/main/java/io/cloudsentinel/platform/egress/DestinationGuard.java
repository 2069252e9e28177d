package io.cloudsentinel.platform.egress;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a URL that a tenant chose may be called, and pins the address it may be called at. The host is
 * looked up once, every address it resolves to must pass (one refused address refuses the destination), and the
 * {@link CheckedDestination} carries the checked address, the only one {@link EgressClient} connects to: a name
 * that answers differently the second time (DNS rebinding) is never asked a second time. {@link #check} may block
 * on DNS.
 */
public final class DestinationGuard {

    /** Names of metadata services, refused before any lookup (their addresses are refused as well). */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog",
            "metadata.azure.com", "instance-data.ec2.internal");

    private final DestinationPolicy policy;
    private final HostResolver resolver;
    private final Set<String> allowedNames = new HashSet<>();
    private final List<Cidr> allowedBlocks = new ArrayList<>();

    public DestinationGuard(DestinationPolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
        for (String entry : policy.allowedHosts()) {
            if (Cidr.looksLikeBlock(entry)) {
                allowedBlocks.add(Cidr.parse(entry));
            } else if (entry.contains("/")) {
                throw new IllegalArgumentException("an allowed host is a host name or a CIDR block: " + entry);
            } else {
                allowedNames.add(normalized(entry));
            }
        }
    }

    /** The destination with its checked address, or {@link DestinationRefusedException} saying why not. */
    public CheckedDestination check(URI url) {
        if (url == null || !url.isAbsolute() || url.isOpaque() || url.getScheme() == null) {
            throw new DestinationRefusedException("malformed-url", "not an absolute http(s) URL");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        if (!tls && !scheme.equals("http")) {
            throw new DestinationRefusedException("scheme-not-allowed", "scheme " + scheme + " is not allowed: https only");
        }
        if (url.getRawUserInfo() != null) {
            throw new DestinationRefusedException("userinfo-not-allowed", "credentials in the URL are not allowed");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new DestinationRefusedException("malformed-url", "the URL has no valid host name");
        }
        String host = normalized(url.getHost());
        int port = url.getPort() == -1 ? (tls ? 443 : 80) : url.getPort();
        if (port < 1 || port > 65_535) {
            throw new DestinationRefusedException("malformed-url", "port " + port + " is out of range");
        }
        if (!tls && !policy.allowPrivate() && !allowedNames.contains(host) && allowedBlocks.isEmpty()) {
            throw new DestinationRefusedException("scheme-not-allowed", "plain http is not allowed: https only");
        }
        if (METADATA_NAMES.contains(host)) {
            throw new DestinationRefusedException("metadata", host + " is a cloud metadata service");
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new DestinationRefusedException("unresolvable", host + " does not resolve");
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new DestinationRefusedException("unresolvable", host + " resolves to no address");
        }
        boolean hostAllowed = allowedNames.contains(host);
        for (InetAddress address : addresses) {
            refusal(address, hostAllowed).ifPresent(kind -> {
                throw new DestinationRefusedException(kind.reason, describe(host, address) + " is refused as "
                        + kind.reason);
            });
        }
        // Plain http only where an operator said the network is theirs: allow-private, or a host (every address
        // of it) on the allow-list, as a self-hosted model inside the cluster often speaks no TLS
        if (!tls && !policy.allowPrivate()
                && !(hostAllowed || addresses.stream().allMatch(this::inAllowedBlock))) {
            throw new DestinationRefusedException("scheme-not-allowed", "plain http is not allowed: https only");
        }
        return new CheckedDestination(url, host, port, tls, addresses.get(0));
    }

    private Optional<AddressKind> refusal(InetAddress address, boolean hostAllowed) {
        Optional<AddressKind> kind = AddressKind.of(address);
        if (kind.isEmpty() || !kind.get().allowable) {
            return kind;
        }
        if (policy.allowPrivate() || hostAllowed || inAllowedBlock(address)) {
            return Optional.empty();
        }
        return kind;
    }

    private boolean inAllowedBlock(InetAddress address) {
        Optional<InetAddress> ipv4 = AddressKind.embeddedIpv4(address);
        return allowedBlocks.stream()
                .anyMatch(block -> block.contains(address) || ipv4.map(block::contains).orElse(false));
    }

    private static String describe(String host, InetAddress address) {
        String literal = address.getHostAddress();
        return host.equals(literal) ? literal : host + " resolves to " + literal + ", which";
    }

    /** Lower-case, without IPv6 brackets or the root's trailing dot, so that one name has one spelling. */
    private static String normalized(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
