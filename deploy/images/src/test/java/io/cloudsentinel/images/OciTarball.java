package io.cloudsentinel.images;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An OCI image layout tarball as Jib's {@code buildTar} writes it ({@code index.json}, {@code blobs/sha256/…}), read
 * without any container tool: the image's config and, per layer in order, its entries.
 */
final class OciTarball {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file or directory of a layer, its path absolute in the image. */
    record LayerEntry(String path, boolean directory, long ownerId, int mode, byte[] content) {
    }

    private final Map<String, byte[]> files;
    private final JsonNode manifest;

    private OciTarball(Map<String, byte[]> files) throws IOException {
        this.files = files;
        JsonNode index = json("index.json");
        this.manifest = blob(index.path("manifests").path(0).path("digest").asText());
    }

    static OciTarball read(Path tarball) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return new OciTarball(files);
    }

    boolean hasFile(String name) {
        return files.containsKey(name);
    }

    String manifestMediaType() {
        return manifest.path("mediaType").asText();
    }

    /** The image configuration's {@code config} object: User, Entrypoint, ExposedPorts, Labels, WorkingDir… */
    JsonNode config() throws IOException {
        return blob(manifest.path("config").path("digest").asText()).path("config");
    }

    /** The layers bottom to top, each the list of its entries; a layer with a content entry keeps its bytes. */
    List<List<LayerEntry>> layers() throws IOException {
        List<List<LayerEntry>> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            List<LayerEntry> entries = new ArrayList<>();
            try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes(layer.path("digest").asText())));
                    TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    String path = "/" + entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "")
                            .replaceFirst("/$", "");
                    entries.add(new LayerEntry(path, entry.isDirectory(), entry.getLongUserId(), entry.getMode(),
                            entry.isDirectory() ? new byte[0] : tar.readAllBytes()));
                }
            }
            layers.add(entries);
        }
        return layers;
    }

    private JsonNode json(String name) throws IOException {
        byte[] content = files.get(name);
        if (content == null) {
            throw new IOException(name + " is not in the tarball; its files: " + files.keySet());
        }
        return JSON.readTree(content);
    }

    private JsonNode blob(String digest) throws IOException {
        return JSON.readTree(bytes(digest));
    }

    private byte[] bytes(String digest) throws IOException {
        String name = "blobs/" + digest.replace(':', '/');
        byte[] content = files.get(name);
        if (content == null) {
            throw new IOException("blob " + digest + " is not in the tarball");
        }
        return content;
    }
}
