package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenRequestTest {

    private static final String TENANT = "3f0c2a9e-5b7d-4e1a-9c8b-2d6f4a1e7b30";

    @Test
    void withoutArgumentsItIsTheDemoTenantAsAdminForAnHour() {
        assertThat(TokenRequest.parse(List.of())).isEqualTo(new TokenRequest(DevTokens.DEMO_TENANT,
                List.of("tenant-admin", "tenant-user"), Duration.ofMinutes(60)));
    }

    @Test
    void tenantRolesAndMinutesAreTakenAsGiven() {
        assertThat(TokenRequest.parse(List.of(TENANT.toUpperCase(), "tenant-user, platform-admin", "7")))
                .isEqualTo(new TokenRequest(TENANT, List.of("tenant-user", "platform-admin"), Duration.ofMinutes(7)));
        assertThat(TokenRequest.parse(List.of(TENANT)).roles()).isEqualTo(TokenRequest.DEFAULT_ROLES);
    }

    @Test
    void aTenantThatIsNoCanonicalUuidIsRefused() {
        for (String tenant : List.of("", "acme", "1-2-3-4-5", TENANT + "0", TENANT.replace('-', '_'))) {
            assertThatIllegalArgumentException().isThrownBy(() -> TokenRequest.parse(List.of(tenant)))
                    .withMessageContaining("the tenant must be a UUID");
        }
    }

    @Test
    void rolesThatWouldBreakTheTokenOrAreEmptyAreRefused() {
        for (String roles : List.of("", "tenant-user,", "a,,b", "tenant\"admin", "tenant admin", "x\\y")) {
            assertThatIllegalArgumentException().isThrownBy(() -> TokenRequest.parse(List.of(TENANT, roles)))
                    .withMessageContaining("the roles must be a comma-separated list");
        }
    }

    @Test
    void aLifetimeOutsideOneMinuteToAWeekIsRefused() {
        assertThat(TokenRequest.parse(List.of(TENANT, "tenant-user", "10080")).lifetime()).isEqualTo(Duration.ofDays(7));
        for (String minutes : List.of("0", "-5", "10081", "1.5", "abc", "99999999999999999999", "")) {
            assertThatIllegalArgumentException().isThrownBy(() -> TokenRequest.parse(List.of(TENANT, "x", minutes)))
                    .withMessageContaining("the lifetime must be a whole number of minutes from 1 to 10080");
        }
    }

    @Test
    void moreThanThreeArgumentsAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TokenRequest.parse(List.of(TENANT, "tenant-user", "7", "extra")))
                .withMessageContaining("too many arguments");
    }
}
