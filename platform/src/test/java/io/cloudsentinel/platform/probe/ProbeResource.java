package io.cloudsentinel.platform.probe;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** A small service inside the platform's tests: how a real resource uses the platform. */
@Path("/probe")
public class ProbeResource {

    public record NewNote(@NotBlank @Size(max = 200) String body) {
    }

    public record NoteView(String tenantId, String body) {
    }

    private final TenantTransactions transactions;
    private final CurrentTenantContext context;
    private final Mutiny.SessionFactory sessions;

    public ProbeResource(TenantTransactions transactions, CurrentTenantContext context,
            Mutiny.SessionFactory sessions) {
        this.transactions = transactions;
        this.context = context;
        this.sessions = sessions;
    }

    @GET
    @Path("/context")
    public Map<String, Object> context() {
        var current = context.get();
        return Map.of("tenant", current.tenant().toString(), "user", current.userId(), "roles",
                new TreeSet<>(current.roles()));
    }

    /** The logging MDC as this request's log lines would carry it (the JSON log format prints the MDC). */
    @GET
    @Path("/log-context")
    public Map<String, String> logContext() {
        Map<String, String> mdc = new java.util.TreeMap<>();
        for (String key : List.of("tenantId", "requestId", "traceId", "userId")) {
            Object value = org.jboss.logging.MDC.get(key);
            if (value != null) {
                mdc.put(key, value.toString());
            }
        }
        return mdc;
    }

    @GET
    @Path("/notes")
    public Uni<List<NoteView>> notes() {
        return transactions.inTenantSession(context.get().tenant(),
                session -> session.createQuery("from Note order by id", Note.class)
                        .getResultList()
                        .map(notes -> notes.stream().map(n -> new NoteView(n.tenantId.toString(), n.body)).toList()));
    }

    @POST
    @Path("/notes")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public Uni<NoteView> create(@Valid NewNote request, @QueryParam("failAfterInsert") boolean failAfterInsert) {
        var tenant = context.get().tenant();
        return transactions.inTenantSession(tenant, session -> session.persist(Note.of(tenant.value(), request.body()))
                .call(session::flush)
                .map(ignored -> {
                    if (failAfterInsert) {
                        throw new ProblemException(Problem.of(ProblemTypes.of("probe-refused"), 422,
                                "Refused after insert", "the insert must be rolled back"));
                    }
                    return new NoteView(tenant.toString(), request.body());
                }));
    }

    /** A defect on purpose: a session the platform did not open, so no tenant is set. */
    @GET
    @Path("/notes/without-tenant")
    public Uni<List<Note>> notesWithoutTenant() {
        return sessions.withTransaction(session -> session.createQuery("from Note", Note.class).getResultList());
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internals: password=hunter2");
    }
}
