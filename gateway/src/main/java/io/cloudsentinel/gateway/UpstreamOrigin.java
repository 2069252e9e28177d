package io.cloudsentinel.gateway;

import java.net.URI;
import java.util.Locale;

import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/** Where an upstream URL points: host, port (the scheme's default when the URL has none) and whether over TLS. */
record UpstreamOrigin(String host, int port, boolean tls) {

    /** @throws IllegalArgumentException for anything but an http or https URL with a host */
    static UpstreamOrigin of(String route, String url) {
        URI uri = URI.create(url.strip());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("cs.gateway.routes." + route + ".url must be http:// or https:// with a"
                    + " host, was " + url);
        }
        boolean tls = scheme.equals("https");
        return new UpstreamOrigin(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80, tls);
    }

    /**
     * A request to this origin: connected to its address, and over TLS the certificate verified against its host
     * name (the host, not the client's Host header).
     */
    RequestOptions request() {
        return new RequestOptions().setServer(SocketAddress.inetSocketAddress(port, host)).setHost(host).setPort(port)
                .setSsl(tls);
    }
}
