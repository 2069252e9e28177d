package io.cloudsentinel.platform.probe;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.cloudsentinel.platform.context.ContextHeaders;
import io.cloudsentinel.platform.context.ServiceContextSigning;

/** Another service's client of the probe, as job-service will call budget-service: signed for one tenant. */
@Path("/probe")
@RegisterRestClient(configKey = "probe")
@RegisterProvider(ServiceContextSigning.class)
@ClientHeaderParam(name = ServiceContextSigning.AUDIENCE, value = "probe")
public interface ProbeServiceClient {

    @GET
    @Path("/context")
    Map<String, Object> context(@HeaderParam(ContextHeaders.TENANT) String tenant);

    @POST
    @Path("/notes")
    ProbeResource.NoteView create(@HeaderParam(ContextHeaders.TENANT) String tenant, ProbeResource.NewNote note);
}
