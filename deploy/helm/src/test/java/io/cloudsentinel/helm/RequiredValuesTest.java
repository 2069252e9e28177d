package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequiredValuesTest {

    /** Each required value, emptied on top of otherwise complete values: the failure names it. */
    @ParameterizedTest
    @CsvSource({
            "postgresql.host, /postgresql/host",
            "kafka.bootstrapServers, /kafka/bootstrapServers",
            "secrets.contextKeys.existingSecret, /secrets/contextKeys/existingSecret",
            "secrets.encryption.existingSecret, /secrets/encryption/existingSecret",
            "secrets.database.app.existingSecret, /secrets/database/app/existingSecret",
            "secrets.database.owner.existingSecret, /secrets/database/owner/existingSecret" })
    void aMissingRequiredValueIsNamed(String value, String named) {
        String failure = ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES, Map.of(value, ""));

        assertThat(failure).contains(named);
    }

    @ParameterizedTest
    @CsvSource({
            "postgresql.port, five-four-three-two, /postgresql/port",
            "postgresql.sslmode, sometimes, /postgresql/sslmode",
            "kafka.securityProtocol, TLS, /kafka/securityProtocol",
            "kafka.topics.management, operator, /kafka/topics/management",
            "services.job-service.internetEgress, maybe, /services/job-service/internetEgress",
            "serviceDefaults.autoscaling.maxReplicas, many, /serviceDefaults/autoscaling/maxReplicas" })
    void aValueOfTheWrongTypeIsNamed(String value, String wrong, String named) {
        String failure = ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES, Map.of(value, wrong));

        assertThat(failure).contains(named);
    }

    @Test
    void anUnknownServiceIsRefused() {
        String failure = ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES,
                Map.of("services.billing-service.enabled", "true"));

        assertThat(failure).contains("billing-service");
    }

    @Test
    void theGatewayNeedsAWayToVerifyTokens() {
        String failure = ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES, Map.of("jwt.jwksUrl", ""));

        assertThat(failure).contains("jwt.jwksUrl or jwt.publicKey.existingSecret is required");
    }

    @Test
    void sharedRateLimitsNeedTheRedisSecret() {
        String failure = ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES,
                Map.of("gateway.rateLimits.store", "redis"));

        assertThat(failure).contains("secrets.redis.existingSecret");
    }

    @Test
    void theTestValuesThemselvesRender() {
        assertThat(ChartUnderTest.render(ChartUnderTest.TEST_VALUES).ofKind("Deployment")).hasSize(5);
    }
}
