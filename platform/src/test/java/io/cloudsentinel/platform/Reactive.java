package io.cloudsentinel.platform;

import java.util.function.Supplier;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** Runs reactive work on a Vert.x context from a test thread and waits for it. */
public final class Reactive {

    private Reactive() {
    }

    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable t) {
            if (t instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(t);
        }
    }

    /** The failure of the work, or an AssertionError when it succeeded. */
    public static Throwable failureOf(Supplier<Uni<?>> work) {
        try {
            VertxContextSupport.subscribeAndAwait(work::get);
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected the work to fail, but it succeeded");
    }
}
