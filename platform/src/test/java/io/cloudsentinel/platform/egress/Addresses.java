package io.cloudsentinel.platform.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Addresses and resolvers for the tests, built from literals without DNS. */
final class Addresses {

    private Addresses() {
    }

    /**
     * The literal as a resolver might answer it: an IPv6 literal stays IPv6, even the IPv4-mapped form that
     * {@link InetAddress#getByName} would turn into IPv4.
     */
    static InetAddress of(String literal) {
        byte[] bytes = Cidr.literal(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("not a literal: " + literal);
        }
        try {
            if (literal.contains(":") && bytes.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A resolver that answers every name with these addresses. */
    static HostResolver answering(String... literals) {
        List<InetAddress> addresses = Arrays.stream(literals).map(Addresses::of).toList();
        return host -> addresses;
    }

    /** Answers {@code first} the first time it is asked, {@code then} every later time, and counts the questions. */
    static final class Rebinding implements HostResolver {

        final AtomicInteger asked = new AtomicInteger();
        private final InetAddress first;
        private final InetAddress then;

        Rebinding(String first, String then) {
            this.first = of(first);
            this.then = of(then);
        }

        @Override
        public List<InetAddress> resolve(String host) {
            return List.of(asked.getAndIncrement() == 0 ? first : then);
        }
    }
}
