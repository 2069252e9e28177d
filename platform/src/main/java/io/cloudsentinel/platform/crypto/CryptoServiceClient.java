package io.cloudsentinel.platform.crypto;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.context.ServiceContextSigning;
import io.smallrye.mutiny.Uni;

/**
 * crypto-service's API as a service calls it for one tenant ({@code quarkus.rest-client.crypto.url}): every call is
 * signed with this service's own key for that tenant, so crypto-service binds the ciphertext to it.
 */
@Path("/api/v1/crypto")
@RegisterRestClient(configKey = "crypto")
@RegisterProvider(ServiceContextSigning.class)
@ClientHeaderParam(name = ServiceContextSigning.AUDIENCE, value = "crypto-service")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface CryptoServiceClient {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Call(String purpose, String plaintext, String ciphertext) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reply(String plaintext, String ciphertext) {
    }

    @POST
    @Path("/encrypt")
    Uni<Reply> encrypt(@HeaderParam(ContextHeaders.TENANT) String tenant, Call call);

    @POST
    @Path("/decrypt")
    Uni<Reply> decrypt(@HeaderParam(ContextHeaders.TENANT) String tenant, Call call);

    @POST
    @Path("/rewrap")
    Uni<Reply> rewrap(@HeaderParam(ContextHeaders.TENANT) String tenant, Call call);
}
