package io.cloudsentinel.platform.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The special-purpose kinds of address a tenant's request must not reach. Private kinds can be allowed (a dev
 * machine, an operator's self-hosted model); the others never: nobody serves HTTP there, or, for the cloud metadata
 * services, whoever reaches them gets the machine's credentials.
 */
enum AddressKind {

    METADATA("metadata", false),
    UNSPECIFIED("unspecified", false),
    MULTICAST("multicast", false),
    BROADCAST("broadcast", false),
    LOOPBACK("loopback", true),
    LINK_LOCAL("link-local", true),
    PRIVATE("private", true),
    RESERVED("reserved", true);

    final String reason;
    /** Whether allow-private or an allowed host lets it pass. */
    final boolean allowable;

    AddressKind(String reason, boolean allowable) {
        this.reason = reason;
        this.allowable = allowable;
    }

    private record Block(Cidr cidr, AddressKind kind) {
    }

    /** Most specific first: the first block that holds an address gives its kind. */
    private static final List<Block> BLOCKS = List.of(
            block("169.254.169.254/32", METADATA), // AWS, GCP, Azure, OpenStack, DigitalOcean …
            block("100.100.100.200/32", METADATA), // Alibaba Cloud
            block("168.63.129.16/32", METADATA), // Azure WireServer (a public address)
            block("fd00:ec2::254/128", METADATA), // AWS over IPv6
            block("0.0.0.0/8", UNSPECIFIED),
            block("127.0.0.0/8", LOOPBACK),
            block("10.0.0.0/8", PRIVATE),
            block("172.16.0.0/12", PRIVATE),
            block("192.168.0.0/16", PRIVATE),
            block("100.64.0.0/10", PRIVATE), // carrier-grade NAT
            block("198.18.0.0/15", PRIVATE), // benchmarking
            block("192.0.0.0/24", PRIVATE), // IETF protocol assignments
            block("169.254.0.0/16", LINK_LOCAL),
            block("255.255.255.255/32", BROADCAST),
            block("224.0.0.0/4", MULTICAST),
            block("240.0.0.0/4", RESERVED),
            block("192.0.2.0/24", RESERVED), // documentation
            block("198.51.100.0/24", RESERVED),
            block("203.0.113.0/24", RESERVED),
            block("::/128", UNSPECIFIED),
            block("::1/128", LOOPBACK),
            block("fc00::/7", PRIVATE), // unique local
            block("fec0::/10", PRIVATE), // site-local, deprecated
            block("64:ff9b:1::/48", PRIVATE), // local-use NAT64
            block("fe80::/10", LINK_LOCAL),
            block("ff00::/8", MULTICAST),
            block("100::/64", RESERVED), // discard-only
            block("2001:db8::/32", RESERVED)); // documentation

    private static Block block(String cidr, AddressKind kind) {
        return new Block(Cidr.parse(cidr), kind);
    }

    /** The address's special kind, if it has one; an IPv6 form that carries an IPv4 address has that one's. */
    static Optional<AddressKind> of(InetAddress address) {
        InetAddress effective = embeddedIpv4(address).orElse(address);
        for (Block block : BLOCKS) {
            if (block.cidr().contains(effective)) {
                return Optional.of(block.kind());
            }
        }
        return Optional.empty();
    }

    /**
     * The IPv4 address that an IPv6 address reaches: IPv4-mapped ({@code ::ffff:a.b.c.d}), -translated
     * ({@code ::ffff:0:a.b.c.d}), -compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) and 6to4
     * ({@code 2002:aabb:ccdd::}).
     */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (address instanceof Inet4Address) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return Optional.of(ipv4(b, 12));
        }
        // IPv4-translated, ::ffff:0:a.b.c.d
        if (allZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            return Optional.of(ipv4(b, 12));
        }
        // ::a.b.c.d, but :: and ::1 are IPv6's own unspecified and loopback
        if (allZero(b, 0, 12) && !(allZero(b, 12, 15) && ((b[15] & 0xff) <= 1))) {
            return Optional.of(ipv4(b, 12));
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12)) {
            return Optional.of(ipv4(b, 12));
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Optional.of(ipv4(b, 2));
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] bytes, int offset) {
        try {
            return InetAddress.getByAddress(new byte[] { bytes[offset], bytes[offset + 1], bytes[offset + 2],
                    bytes[offset + 3] });
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
