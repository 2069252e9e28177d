package io.cloudsentinel.platform.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Looks a host name up once; {@link DestinationGuard} checks every address it answers. May block. */
@FunctionalInterface
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system's resolver (an IP literal is parsed, not looked up). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
