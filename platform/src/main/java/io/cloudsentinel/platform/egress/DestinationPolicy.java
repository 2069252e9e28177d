package io.cloudsentinel.platform.egress;

import java.util.List;

/**
 * Which destinations a request that a tenant chose (a webhook, a model endpoint) may go to.
 *
 * @param allowPrivate whether loopback, private and link-local addresses and plain http are allowed (dev and tests)
 * @param allowedHosts host names (exact, case-insensitive) or CIDR blocks an operator allows although they are
 *        private (self-hosted models), over plain http too; metadata addresses are never allowed
 */
public record DestinationPolicy(boolean allowPrivate, List<String> allowedHosts) {

    public DestinationPolicy {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(String::trim).filter(entry -> !entry.isEmpty()).toList();
    }

    /** Public https destinations only. */
    public static DestinationPolicy publicOnly() {
        return new DestinationPolicy(false, List.of());
    }
}
