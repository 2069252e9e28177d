package io.cloudsentinel.platform.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.probe.ProbeResource;
import io.cloudsentinel.platform.probe.ProbeServiceClient;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A service calling another for a tenant through a REST client signs the call with its own key: the callee sees
 * that tenant with the service role only, and the body it reads is the one whose digest was signed.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ServiceContextSigningTest {

    @RestClient
    ProbeServiceClient probe;

    @Test
    void theCalleeSeesTheTenantWithTheServiceRoleOnly() {
        TenantId tenant = TenantId.random();

        Map<String, Object> seen = probe.context(tenant.toString());

        assertThat(seen).containsEntry("tenant", tenant.toString()).containsEntry("roles", List.of(Roles.SERVICE));
    }

    @Test
    void aBodySentForATenantArrivesCoveredByItsSignedDigest() {
        TenantId tenant = TenantId.random();

        ProbeResource.NoteView created = probe.create(tenant.toString(), new ProbeResource.NewNote("from a service"));

        assertThat(created.tenantId()).isEqualTo(tenant.toString());
        assertThat(created.body()).isEqualTo("from a service");
    }
}
