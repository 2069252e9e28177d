package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UpstreamOriginTest {

    @Test
    void aUrlWithoutAPortTakesItsSchemesDefault() {
        assertThat(UpstreamOrigin.of("jobs", "https://job-service.cs.svc")).isEqualTo(
                new UpstreamOrigin("job-service.cs.svc", 443, true));
        assertThat(UpstreamOrigin.of("jobs", "http://job-service.cs.svc")).isEqualTo(
                new UpstreamOrigin("job-service.cs.svc", 80, false));
        assertThat(UpstreamOrigin.of("jobs", "HTTPS://job-service:8443/")).isEqualTo(
                new UpstreamOrigin("job-service", 8443, true));
    }

    @Test
    void anythingButHttpOrHttpsWithAHostIsRefusedNamingTheRoute() {
        assertThatThrownBy(() -> UpstreamOrigin.of("jobs", "ftp://job-service")).hasMessageContaining(
                "cs.gateway.routes.jobs.url");
        assertThatThrownBy(() -> UpstreamOrigin.of("jobs", "job-service:8082")).hasMessageContaining("http://");
    }
}
