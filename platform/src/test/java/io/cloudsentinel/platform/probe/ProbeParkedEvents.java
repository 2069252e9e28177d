package io.cloudsentinel.platform.probe;

import jakarta.ws.rs.Path;

import io.cloudsentinel.platform.outbox.ParkedEventsResource;

/** The probe service mounts the parked-rows API as every service does, under its own prefix. */
@Path("/probe/outbox/parked")
public class ProbeParkedEvents extends ParkedEventsResource {
}
