package io.cloudsentinel.scheduler.rest;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.platform.outbox.ParkedEventsResource;

/** The operators' API over scheduler-service's parked outbox rows (jobs.requested), under its own prefix. */
@Path("/api/v1/schedules/outbox/parked")
@Tag(name = "outbox", description = "Parked outbox rows, for platform operators")
public class SchedulerParkedEvents extends ParkedEventsResource {
}
