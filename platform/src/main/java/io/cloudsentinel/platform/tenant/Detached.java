package io.cloudsentinel.platform.tenant;

import io.smallrye.mutiny.Uni;

/**
 * A transaction, once started, runs to the end its work decides (commit or roll back) even when its caller stops
 * listening: a client that hangs up mid-request cancels the subscriber, and a cancelled transaction would otherwise be
 * cut off between two statements — the pooled connection handed back inside an open transaction (a raw BEGIN Vert.x
 * does not know about), or the work going on against a session already closed.
 */
final class Detached {

    private Detached() {
    }

    static <T> Uni<T> transaction(Uni<T> transaction) {
        return Uni.createFrom().emitter(emitter -> transaction.subscribe().with(emitter::complete, emitter::fail));
    }
}
