package io.cloudsentinel.jobs.rest;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.platform.outbox.ParkedEventsResource;

/** The operators' API over job-service's parked outbox rows (jobs.events, jobs.dlq), under its own prefix. */
@Path("/api/v1/jobs/outbox/parked")
@Tag(name = "outbox", description = "Parked outbox rows, for platform operators")
public class JobsParkedEvents extends ParkedEventsResource {
}
