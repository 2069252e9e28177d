package io.cloudsentinel.e2e;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A tenant's budget ledger as {@code GET /api/v1/budgets/me/ledger} shows it, oldest entry first. */
record Ledger(List<Entry> entries) {

    /** One entry: HOLD, SETTLE, RELEASE, EXPIRE or ADJUST of a hold, with its deltas. */
    record Entry(String type, String holdId, long reservedDeltaMicros, long spentDeltaMicros) {
    }

    static Ledger of(Caller tenant) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : tenant.get("/api/v1/budgets/me/ledger?limit=500").json().path("entries")) {
            entries.add(0, new Entry(entry.path("type").asText(), entry.path("holdId").asText(),
                    entry.path("reservedDeltaMicros").asLong(), entry.path("spentDeltaMicros").asLong()));
        }
        return new Ledger(entries);
    }

    /** The operators' ledger check across every tenant: {@code {consistent, mismatches}}. */
    static JsonNode checkAcrossTenants() {
        Caller.Answer answer = Caller.operator().get("/api/v1/budgets/ledger-check");
        if (answer.status() != 200) {
            throw new IllegalStateException("ledger check: " + answer);
        }
        return answer.json();
    }

    /** The holds taken, in order. */
    List<String> holds() {
        return entries.stream().filter(entry -> entry.type().equals("HOLD")).map(Entry::holdId).toList();
    }

    /** What ended the hold: its SETTLE, RELEASE or EXPIRE entries (exactly one when all is well). */
    List<Entry> endsOf(String hold) {
        return entries.stream().filter(entry -> entry.holdId().equals(hold) && !entry.type().equals("HOLD")).toList();
    }

    /** What the hold reserved. */
    long reservedBy(String hold) {
        return entries.stream().filter(entry -> entry.holdId().equals(hold) && entry.type().equals("HOLD"))
                .mapToLong(Entry::reservedDeltaMicros).sum();
    }

    long spentMicros() {
        return entries.stream().mapToLong(Entry::spentDeltaMicros).sum();
    }
}
