package io.cloudsentinel.jobs.handler;

import io.cloudsentinel.jobs.PayloadSchemas;

/** What every handler says of its job type: its name, and which payloads it takes. */
public interface JobTypeHandler {

    String type();

    /**
     * The JSON Schema (draft 2020-12 unless it names another) that every payload of this type satisfies: a request
     * whose payload does not is refused at ingestion ({@code invalid_json}) and at the API (422), so the handler never
     * sees it. Any JSON object by default.
     */
    default String payloadSchema() {
        return PayloadSchemas.ANY_OBJECT;
    }
}
