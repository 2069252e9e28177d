package io.cloudsentinel.platform.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * GETs a {@link CheckedDestination} whose answer may be far larger than memory (a cost export of gigabytes), pinned
 * as {@link EgressClient#send} is: the checked address only, the name as Host header and TLS SNI, no redirect. The
 * caller gets the status and headers at once and reads the body as a blocking {@link InputStream} fed with
 * back-pressure: the connection is paused while a few chunks wait unread, so a slow reader holds at most those in
 * memory. The stream fails with an {@link IOException} past {@link Limits#maxBytes}, or when no byte came for
 * {@link Limits#idleTimeout} while the reader waited. Closing it early hangs up. Blocking: never on an event loop.
 */
public final class EgressDownload implements AutoCloseable {

    /** Chunks (8 KiB or so each) waiting unread before the connection is paused, and resumed below half of it. */
    private static final int HIGH_WATER = 16;
    private static final int LOW_WATER = HIGH_WATER / 2;

    /**
     * @param connectTimeout connecting and the TLS handshake
     * @param idleTimeout the longest wait for the answer's headers, and then for each next chunk of its body
     * @param maxBytes the most body bytes read; a larger body fails the stream
     */
    public record Limits(Duration connectTimeout, Duration idleTimeout, long maxBytes) {
    }

    /** An answer whose body is still to be read; closing it hangs up if the body was not read to its end. */
    public interface Answer extends AutoCloseable {

        int status();

        /** Header names lower-case. */
        Map<String, List<String>> headers();

        /** The first value of the header, or null. */
        default String header(String name) {
            List<String> values = headers().get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        InputStream body();

        @Override
        void close();
    }

    private final HttpClient client;

    public EgressDownload(Vertx vertx) {
        this(vertx, new HttpClientOptions());
    }

    /** With the given options as a base (the tests' trust store); what keeps requests pinned is set here. */
    EgressDownload(Vertx vertx, HttpClientOptions options) {
        // a connection per request, as EgressClient: a pooled one might carry a request to another destination
        this.client = vertx.createHttpClient(new HttpClientOptions(options).setKeepAlive(false).setVerifyHost(true)
                .setMaxRedirects(0).setTryUseCompression(false));
    }

    /**
     * Sends the GET and waits for the answer's status and headers.
     *
     * @throws IOException not connected, no answer within the timeouts, or the connection failed (the request may
     *         have left); {@link InterruptedIOException} when the calling thread is interrupted
     */
    public Answer get(CheckedDestination to, Map<String, String> headers, Limits limits) throws IOException {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(to.address(), to.port())))
                .setHost(to.host()).setPort(to.port()).setSsl(to.tls()).setURI(pathAndQuery(to))
                .setFollowRedirects(false).setConnectTimeout(Math.max(1, limits.connectTimeout().toMillis()));
        headers.forEach(options::putHeader);
        Transfer transfer = new Transfer(limits.maxBytes());
        CompletableFuture<HttpClientResponse> answered = new CompletableFuture<>();
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                answered.completeExceptionally(connected.cause());
                return;
            }
            HttpClientRequest request = connected.result();
            if (!transfer.attach(request)) {
                return; // the caller gave up meanwhile: attach hung up
            }
            request.exceptionHandler(transfer::fail);
            request.send().onComplete(response -> {
                if (response.failed()) {
                    answered.completeExceptionally(response.cause());
                } else {
                    transfer.feedFrom(response.result());
                    answered.complete(response.result());
                }
            });
        });
        HttpClientResponse response;
        try {
            response = answered.get(limits.connectTimeout().plus(limits.idleTimeout()).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            transfer.hangUp();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + to.host());
        } catch (TimeoutException e) {
            transfer.hangUp();
            throw new SocketTimeoutException("no answer from " + to.host() + " within "
                    + limits.connectTimeout().plus(limits.idleTimeout()));
        } catch (ExecutionException e) {
            transfer.hangUp();
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io
                    : new IOException("the request to " + to.host() + " failed: " + cause, cause);
        }
        Map<String, List<String>> answerHeaders = new LinkedHashMap<>();
        response.headers().forEach(header -> answerHeaders
                .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                .add(header.getValue()));
        answerHeaders.replaceAll((name, values) -> List.copyOf(values));
        Map<String, List<String>> shown = Map.copyOf(answerHeaders);
        InputStream body = new Body(transfer, limits.idleTimeout());
        int status = response.statusCode();
        return new Answer() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public Map<String, List<String>> headers() {
                return shown;
            }

            @Override
            public InputStream body() {
                return body;
            }

            @Override
            public void close() {
                transfer.hangUp();
            }
        };
    }

    @Override
    public void close() {
        client.close();
    }

    /** What follows the authority: the raw path (or /) and query, as the URL spelt them. */
    private static String pathAndQuery(CheckedDestination to) {
        String path = to.url().getRawPath();
        String query = to.url().getRawQuery();
        return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    }

    /** The end of the body, in the queue after its last chunk. */
    private static final Object END = new Object();

    /**
     * One answer's body between the event loop, which queues chunks and pauses the response at the high water, and
     * the reading thread, which takes them and resumes it at the low water.
     */
    private static final class Transfer {

        private final long maxBytes;
        private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
        private final AtomicBoolean paused = new AtomicBoolean();
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile HttpClientRequest request;
        private volatile HttpClientResponse response;
        private volatile Context context;
        private long received;

        Transfer(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** False (and hung up) when the transfer was already over. */
        boolean attach(HttpClientRequest request) {
            this.request = request;
            if (over.get()) {
                reset(request);
                return false;
            }
            return true;
        }

        /** On the event loop, as the answer's headers arrive. */
        void feedFrom(HttpClientResponse response) {
            this.response = response;
            this.context = Vertx.currentContext();
            String length = response.getHeader("content-length");
            if (length != null && length.length() < 19 && !length.isEmpty() && length.chars().allMatch(Character::isDigit)
                    && Long.parseLong(length) > maxBytes) {
                fail(tooLarge());
                return;
            }
            response.exceptionHandler(this::fail);
            response.handler(this::chunk);
            response.endHandler(end -> {
                if (!over.get()) {
                    chunks.add(END);
                }
            });
        }

        private void chunk(Buffer chunk) {
            if (over.get()) {
                return;
            }
            received += chunk.length();
            if (received > maxBytes) {
                fail(tooLarge());
                return;
            }
            chunks.add(chunk);
            if (chunks.size() >= HIGH_WATER && paused.compareAndSet(false, true)) {
                response.pause();
                // the reader may have drained the queue before it could see the pause: look again
                taken();
            }
        }

        /** Called by the reader after it took a chunk, and by the event loop after it paused. */
        void taken() {
            if (chunks.size() <= LOW_WATER && paused.compareAndSet(true, false)) {
                HttpClientResponse pausedResponse = response;
                context.runOnContext(v -> pausedResponse.resume());
            }
        }

        /** The body cannot be read to its end: the reader sees the failure after what was queued before it. */
        void fail(Throwable failure) {
            if (over.compareAndSet(false, true)) {
                chunks.add(failure instanceof IOException ? failure
                        : new IOException("the answer was cut short: " + failure, failure));
                HttpClientRequest sending = request;
                if (sending != null) {
                    reset(sending);
                }
            }
        }

        /** The reader is done (early or not): whatever is still coming is refused. */
        void hangUp() {
            boolean wasOver = !over.compareAndSet(false, true);
            chunks.clear();
            HttpClientRequest sending = request;
            if (!wasOver && sending != null) {
                reset(sending);
            }
        }

        private IOException tooLarge() {
            return new IOException("the answer is larger than " + maxBytes + " bytes");
        }

        private static void reset(HttpClientRequest sending) {
            // a reset alone could leave the connection open, idle
            sending.reset();
            sending.connection().close();
        }
    }

    /** The reader's side: blocking reads of the queued chunks. */
    private static final class Body extends InputStream {

        private final Transfer transfer;
        private final Duration idleTimeout;
        private Buffer current;
        private int position;
        private IOException failure;
        private boolean ended;
        private boolean closed;

        Body(Transfer transfer, Duration idleTimeout) {
            this.transfer = transfer;
            this.idleTimeout = idleTimeout;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int count = Math.min(length, current.length() - position);
            current.getBytes(position, position + count, into, offset);
            position += count;
            return count;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.length() - position;
        }

        /** A chunk with bytes left to read; false at the end of the body. */
        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("the body is closed");
            }
            if (failure != null) {
                throw failure;
            }
            while (current == null || position == current.length()) {
                if (ended) {
                    return false;
                }
                Object next;
                try {
                    next = transfer.chunks.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    transfer.hangUp();
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the answer");
                }
                if (next == null) {
                    transfer.fail(new SocketTimeoutException("no data for " + idleTimeout));
                    failure = new SocketTimeoutException("no data for " + idleTimeout);
                    throw failure;
                }
                if (next == END) {
                    ended = true;
                    return false;
                }
                if (next instanceof IOException io) {
                    failure = io;
                    throw io;
                }
                current = (Buffer) next;
                position = 0;
                transfer.taken();
            }
            return true;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                transfer.hangUp();
            }
        }
    }
}
