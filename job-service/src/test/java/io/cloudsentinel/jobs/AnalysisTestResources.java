package io.cloudsentinel.jobs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;

/**
 * The analysis tests' world: the module's PostgreSQL and Kafka, the real crypto-service and budget-service, and the
 * platform's model endpoint. One set for every analysis test class, so that Quarkus starts once for all of them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "cloudsentinel_jobs"))
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service,budget-service"))
@WithTestResource(PlatformModelStub.class)
public @interface AnalysisTestResources {
}
