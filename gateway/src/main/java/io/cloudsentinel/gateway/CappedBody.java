package io.cloudsentinel.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;

/**
 * A request body of unknown length (chunked) as it streams to the upstream, failed with {@link TooLarge} once it
 * passes the limit: the upstream then sees an aborted request, never a complete one, and the client gets 413.
 * Vert.x's proxy streams bodies and has no limit of its own; a body with a Content-Length above the limit is refused
 * before anything is sent.
 */
final class CappedBody implements ReadStream<Buffer> {

    /** The body passed the gateway's limit. */
    static final class TooLarge extends RuntimeException {
        final long limit;

        TooLarge(long limit) {
            super("request body larger than " + limit + " bytes", null, false, false);
            this.limit = limit;
        }
    }

    /**
     * Whether the request streams a body whose length it did not declare: chunked in HTTP/1.1, or HTTP/2 without a
     * Content-Length. An HTTP/1.1 request with neither header has no body (RFC 9112, 6.3) and is not wrapped.
     */
    static boolean ofUnknownLength(HttpServerRequest request) {
        return request.version() == HttpVersion.HTTP_2 ? !request.headers().contains(HttpHeaders.CONTENT_LENGTH)
                : request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private final ReadStream<Buffer> source;
    private final long limit;
    private long seen;
    private boolean failed;
    private Handler<Throwable> exceptionHandler;

    /** Whether the body passed the limit: the upstream may then report its aborted request before this does. */
    boolean exceeded() {
        return failed;
    }

    CappedBody(ReadStream<Buffer> source, long limit) {
        this.source = source;
        this.limit = limit;
    }

    @Override
    public CappedBody exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public CappedBody handler(Handler<Buffer> handler) {
        if (handler == null) {
            source.handler(null);
            return this;
        }
        source.handler(chunk -> {
            if (failed) {
                return;
            }
            seen += chunk.length();
            if (seen > limit) {
                failed = true;
                source.pause();
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new TooLarge(limit));
                }
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public CappedBody pause() {
        source.pause();
        return this;
    }

    @Override
    public CappedBody resume() {
        if (!failed) {
            source.resume();
        }
        return this;
    }

    @Override
    public CappedBody fetch(long amount) {
        if (!failed) {
            source.fetch(amount);
        }
        return this;
    }

    @Override
    public CappedBody endHandler(Handler<Void> handler) {
        if (handler == null) {
            // a stream that has ended refuses a new end handler (Vert.x throws), and a pipe clears it when done
            source.endHandler(null);
            return this;
        }
        source.endHandler(ended -> {
            if (!failed) {
                handler.handle(ended);
            }
        });
        return this;
    }
}
