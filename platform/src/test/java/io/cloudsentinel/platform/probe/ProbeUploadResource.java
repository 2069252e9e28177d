package io.cloudsentinel.platform.probe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;

/** An upload the probe reads as it streams, acting only once it ended (as cost imports will stage and commit). */
@Path("/probe/uploads")
public class ProbeUploadResource {

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Map<String, Long> upload(InputStream body) throws IOException {
        long bytes = 0;
        byte[] buffer = new byte[4096];
        for (int read; (read = body.read(buffer)) >= 0;) {
            bytes += read;
        }
        return Map.of("bytes", bytes);
    }
}
