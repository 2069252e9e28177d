package io.cloudsentinel.platform.egress;

import java.net.InetAddress;
import java.net.URI;

/**
 * A destination that passed {@link DestinationGuard#check}: {@link EgressClient} connects to {@code address}, the
 * address that was checked, and to no other; {@code host} goes into the Host header and TLS SNI.
 */
public record CheckedDestination(URI url, String host, int port, boolean tls, InetAddress address) {
}
