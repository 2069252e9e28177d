package io.cloudsentinel.jobs.handler;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cloudsentinel.platform.egress.HostResolver;
import io.quarkus.arc.DefaultBean;

/** The resolver deliveries look destinations up with: the system's, unless a test profile enables another. */
@Singleton
public class SystemHostResolver {

    @Produces
    @DefaultBean
    @Singleton
    HostResolver resolver() {
        return HostResolver.SYSTEM;
    }
}
