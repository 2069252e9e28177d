package io.cloudsentinel.gateway;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;

/**
 * Upstreams over https: budget-service behind a certificate for {@code localhost} that the gateway's trust store
 * holds; crypto-service behind one it does not; scheduler-service reached by an address the trusted certificate does
 * not name.
 */
public class HttpsUpstreams implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        try {
            vertx = Vertx.vertx();
            SelfSignedCertificate trusted = SelfSignedCertificate.create("localhost");
            SelfSignedCertificate stranger = SelfSignedCertificate.create("localhost");
            int trustedPort = listen(trusted);
            int strangerPort = listen(stranger);
            return Map.of(
                    "cs.gateway.upstream-tls", "upstreams",
                    "quarkus.tls.upstreams.trust-store.pem.certs", trusted.certificatePath(),
                    "cs.gateway.routes.budget.url", "https://localhost:" + trustedPort,
                    "cs.gateway.routes.crypto.url", "https://localhost:" + strangerPort,
                    "cs.gateway.routes.scheduler.url", "https://127.0.0.1:" + trustedPort,
                    "cs.gateway.routes.jobs.url", "");
        } catch (Exception e) {
            throw new IllegalStateException("https upstreams did not start", e);
        }
    }

    private int listen(SelfSignedCertificate certificate) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
                        .end("{\"path\":\"" + request.uri() + "\",\"tls\":" + request.isSSL() + "}"));
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
