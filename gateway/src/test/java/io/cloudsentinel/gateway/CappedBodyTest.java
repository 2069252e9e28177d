package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** The capped body passes handlers through to the request it wraps, and fails once the limit is passed. */
class CappedBodyTest {

    /** The request side of the pipe: records what the wrapper set on it. */
    private static final class Source implements ReadStream<Buffer> {
        Handler<Buffer> handler;
        Handler<Void> endHandler;
        Handler<Throwable> exceptionHandler;

        @Override
        public Source exceptionHandler(Handler<Throwable> handler) {
            this.exceptionHandler = handler;
            return this;
        }

        @Override
        public Source handler(Handler<Buffer> handler) {
            this.handler = handler;
            return this;
        }

        @Override
        public Source pause() {
            return this;
        }

        @Override
        public Source resume() {
            return this;
        }

        @Override
        public Source fetch(long amount) {
            return this;
        }

        @Override
        public Source endHandler(Handler<Void> endHandler) {
            this.endHandler = endHandler;
            return this;
        }
    }

    @Test
    void clearingTheEndHandlerClearsItOnTheRequest() {
        // a pipe clears its handlers when done; an ended Vert.x request throws when given a new end handler instead
        Source source = new Source();
        CappedBody body = new CappedBody(source, 10);
        body.endHandler(ended -> {
        });
        assertThat(source.endHandler).isNotNull();

        body.endHandler(null);

        assertThat(source.endHandler).isNull();
    }

    @Test
    void chunksFlowUntilTheLimitThenTheBodyFailsAndEndsNoMore() {
        Source source = new Source();
        CappedBody body = new CappedBody(source, 10);
        List<Buffer> passed = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        List<Void> ends = new ArrayList<>();
        body.exceptionHandler(failures::add).handler(passed::add).endHandler(ends::add);

        source.handler.handle(Buffer.buffer("12345"));
        source.handler.handle(Buffer.buffer("67890"));
        source.handler.handle(Buffer.buffer("x"));
        source.endHandler.handle(null);

        assertThat(passed).hasSize(2);
        assertThat(failures).singleElement().isInstanceOf(CappedBody.TooLarge.class);
        assertThat(ends).isEmpty();
    }
}
