package io.cloudsentinel.jobs;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Tests only: loses the answers of the next {@link #lose} settlements on their way back from budget-service, after
 * budget-service has settled (a REST client provider of this application, as any {@code @Provider} filter is).
 * Inert unless armed.
 */
@Provider
public class SettleAnswerLoss implements ClientResponseFilter {

    static final AtomicInteger TO_LOSE = new AtomicInteger();
    static final AtomicInteger SETTLES_SENT = new AtomicInteger();

    static void lose(int answers) {
        SETTLES_SENT.set(0);
        TO_LOSE.set(answers);
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        if (!request.getUri().getPath().endsWith("/settle")) {
            return;
        }
        SETTLES_SENT.incrementAndGet();
        if (TO_LOSE.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new IOException("the settlement's answer was lost on the way back (test)");
        }
    }
}
