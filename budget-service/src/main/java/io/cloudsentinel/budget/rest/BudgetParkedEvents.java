package io.cloudsentinel.budget.rest;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.platform.outbox.ParkedEventsResource;

/** The operators' API over budget-service's parked outbox rows (budget.alerts), under its own prefix. */
@Path("/api/v1/budgets/outbox/parked")
@Tag(name = "outbox", description = "Parked outbox rows, for platform operators")
public class BudgetParkedEvents extends ParkedEventsResource {
}
