package io.cloudsentinel.platform.problem;

import java.util.TreeMap;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What platform guarantees for every operation of every service, said once in its OpenAPI document: every error answer is
 * problem+json
 * (its mappers see to it); any call may meet 401 (no signed context) or 500, and any call with a body 415. A resource
 * names its own error statuses and why; this filter gives those responses the {@code Problem} body.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemDocumentation implements OASFilter {

    /** One definition for every service, so that the gateway's merged document keeps one {@code Problem} schema. */
    @Schema(name = "Problem", description = "An RFC 9457 problem. Members beyond the five standard ones say more about"
            + " this occurrence, such as the fields of a request that are not valid.", requiredProperties = { "type",
                    "title", "status" }, additionalProperties = Schema.True.class)
    record Body(
            @Schema(format = "uri", description = "The problem type, under https://cloudsentinel.dev/problems/") String type,
            @Schema(description = "What the type means, the same for every occurrence") String title,
            @Schema(description = "The HTTP status of this answer") int status,
            @Schema(description = "What went wrong this time") String detail,
            @Schema(format = "uri", description = "This occurrence, when it has an address") String instance) {
    }

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        addIfAbsent(responses, "401", "The request carries no valid signed context (context-invalid)");
        addIfAbsent(responses, "500", "An unexpected failure (internal-error), logged under the errorId of the answer");
        if (operation.getRequestBody() != null) {
            addIfAbsent(responses, "415", "The body is not application/json (unsupported-media-type)");
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.charAt(0) >= '4' && response.getContent() == null) {
                response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
            }
        });
        // Swagger UI lists the responses in document order
        responses.setAPIResponses(new TreeMap<>(responses.getAPIResponses()));
        return operation;
    }

    private static void addIfAbsent(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }
}
