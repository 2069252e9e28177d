package io.cloudsentinel.jobs.handler;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.config.CostSourcesConfig;
import io.cloudsentinel.jobs.costs.CostFile;
import io.cloudsentinel.jobs.costs.CostFiles;
import io.cloudsentinel.jobs.costs.ImportOutcome;
import io.cloudsentinel.jobs.repository.CostSource;
import io.cloudsentinel.jobs.service.CostImports;
import io.cloudsentinel.jobs.service.CostSources;
import io.cloudsentinel.jobs.store.CostSourceRead;
import io.cloudsentinel.jobs.store.CostSourceRead.FetchedSource;
import io.cloudsentinel.platform.crypto.CryptoUnavailableException;
import io.cloudsentinel.platform.crypto.SecretRefusedException;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.egress.CheckedDestination;
import io.cloudsentinel.platform.egress.DestinationGuard;
import io.cloudsentinel.platform.egress.DestinationRefusedException;
import io.cloudsentinel.platform.egress.EgressDownload;
import io.cloudsentinel.platform.egress.HostResolver;
import io.vertx.core.Vertx;

/**
 * {@code cost_ingestion}: fetches the tenant's cost sources ({@code {}}: all of them, {@code {"source": name}}: one)
 * and loads each as one import ({@link CostImports#fetched}). Each source's URL and header are opened from
 * crypto-service just before its fetch and its destination checked again (DNS may have changed since it was set);
 * the files stream from the connection into the import, never whole in memory. A manifest source names the files of
 * an AWS Data Exports delivery, loaded together as one import.
 * <p>
 * A source that could not be read (no connection, a non-2xx answer, an answer cut short, crypto-service down) is done
 * again: the job fails after the other sources were done, and its retry fetches them all again (an import replaces
 * the periods it holds, so loading a source twice changes nothing). A file that is no FOCUS CSV is the import's
 * failure and is not retried. A source that can never be fetched as it is set (refused destination, a manifest that
 * is not one) ends the job as fatal, after the others. The URL, a credential when presigned, is never logged: only
 * the source's name and host.
 */
@ApplicationScoped
public class CostIngestionHandler implements BlockingJobHandler {

    public static final String TYPE = "cost_ingestion";
    private static final Logger LOG = Logger.getLogger(CostIngestionHandler.class);
    private static final String USER_AGENT = "CloudSentinel-CostIngestion/1";
    /** Failure reasons kept in the job's error, each cut to this length (the whole error is ≤ 2,000 characters). */
    private static final int REASON_CHARS = 300;

    /** A fetch failed in a way that fetching again may cure: the job is retried. */
    static final class SourcesUnreadable extends RuntimeException {

        SourcesUnreadable(String message) {
            super(message);
        }
    }

    /** The source cannot be fetched as it is set: fetching again would fail the same way. */
    static final class SourceRefused extends Exception {

        SourceRefused(String message) {
            super(message, null, false, false);
        }
    }

    private final CostSourceRead reads;
    private final TenantSecrets secrets;
    private final CostImports imports;
    private final DestinationGuard guard;
    private final EgressDownload download;
    private final ObjectMapper json;
    private final CostSourcesConfig config;

    public CostIngestionHandler(CostSourceRead reads, TenantSecrets secrets, CostImports imports,
            HostResolver resolver, Vertx vertx, ObjectMapper json, CostSourcesConfig config) {
        this.reads = reads;
        this.secrets = secrets;
        this.imports = imports;
        this.guard = CostSources.guard(config, resolver);
        this.download = new EgressDownload(vertx);
        this.json = json;
        this.config = config;
    }

    @PreDestroy
    void close() {
        download.close();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String payloadSchema() {
        return """
                {"type": "object", "additionalProperties": false,
                 "properties": {"source": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"}}}
                """;
    }

    @Override
    public void run(JobRun run) throws Exception {
        Optional<String> only = Optional.ofNullable(run.payload().path("source").textValue());
        List<FetchedSource> sources = run.inTenant(connection -> only.isPresent()
                ? reads.named(connection, run.tenant(), only.get())
                : reads.all(connection, run.tenant())).await().indefinitely();
        if (sources.isEmpty()) {
            LOG.debugf("cost_ingestion job %s: %s, nothing fetched", run.jobId(),
                    only.map(name -> "no source " + name).orElse("the tenant has no source"));
            return;
        }
        List<String> unreadable = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (FetchedSource source : sources) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cost_ingestion interrupted (its timeout)");
            }
            try {
                ImportOutcome outcome = fetch(run, source);
                if (outcome.status() == ImportOutcome.ImportStatus.SUCCEEDED) {
                    LOG.infof("cost_ingestion job %s: source %s (%s) loaded, %d rows", run.jobId(), source.name(),
                            source.urlHost(), outcome.rowsLoaded());
                } else if (outcome.retryable()) {
                    unreadable.add(source.name() + ": " + cut(outcome.failure().orElse("not read")));
                } else {
                    // the import says why; the same file would fail again
                    LOG.infof("cost_ingestion job %s: source %s (%s) failed its import %s, not retried",
                            run.jobId(), source.name(), source.urlHost(), outcome.importId());
                }
            } catch (SourceRefused e) {
                LOG.warnf("cost_ingestion job %s: source %s (%s) refused: %s", run.jobId(), source.name(),
                        source.urlHost(), e.getMessage());
                refused.add(source.name() + ": " + cut(e.getMessage()));
            } catch (CryptoUnavailableException e) {
                unreadable.add(source.name() + ": crypto-service unavailable");
            } catch (LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                // the import recorded it (a database failure, say): the other sources are still fetched
                LOG.warnf("cost_ingestion job %s: source %s (%s) stopped: %s", run.jobId(), source.name(),
                        source.urlHost(), e.getClass().getSimpleName());
                unreadable.add(source.name() + ": the import stopped (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (!unreadable.isEmpty()) {
            throw new SourcesUnreadable(unreadable.size() + " of " + sources.size() + " cost sources could not be"
                    + " read and are fetched again: " + String.join("; ", unreadable));
        }
        if (!refused.isEmpty()) {
            throw new FatalJobException(refused.size() + " of " + sources.size() + " cost sources are refused: "
                    + String.join("; ", refused));
        }
    }

    /** Opens the source's secrets, checks its destination and loads its file(s) as one import. */
    private ImportOutcome fetch(JobRun run, FetchedSource source) throws SourceRefused, InterruptedException {
        URI url = URI.create(open(run, source.urlCiphertext()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("user-agent", USER_AGENT);
        if (source.headerName().isPresent() && source.headerCiphertext().isPresent()) {
            headers.put(source.headerName().get(), open(run, source.headerCiphertext().get()));
        }
        CheckedDestination to = checked(url);
        if (!source.manifest()) {
            return imports.fetched(run, source.name(), CostFiles.of(new CostFile(source.name(),
                    new LazyBody(() -> body(to, headers, config.maxFileSize().asLongValue())))));
        }
        byte[] manifest;
        try (InputStream body = body(to, headers, config.maxManifestSize().asLongValue())) {
            manifest = body.readAllBytes();
        } catch (IOException e) {
            // recorded as the import's retryable failure, like a data file that cannot be read
            return imports.fetched(run, source.name(), () -> {
                throw new IOException("the manifest could not be read: " + e.getMessage(), e);
            });
        }
        List<URI> files = ExportManifest.dataFiles(json, manifest, url, config.maxFiles());
        List<CheckedDestination> checkedFiles = new ArrayList<>();
        for (URI file : files) {
            checkedFiles.add(checked(file));
        }
        Iterator<CheckedDestination> next = checkedFiles.iterator();
        int[] index = { 0 };
        return imports.fetched(run, source.name(), () -> {
            if (!next.hasNext()) {
                return Optional.empty();
            }
            CheckedDestination file = next.next();
            index[0]++;
            String name = "file " + index[0] + " of " + checkedFiles.size() + " (" + lastSegment(file.url()) + ")";
            // the source's credential goes to the host that served the manifest only, not to any host it names
            Map<String, String> sent = file.host().equalsIgnoreCase(to.host()) ? headers
                    : Map.of("user-agent", USER_AGENT);
            return Optional.of(new CostFile(name, body(file, sent, config.maxFileSize().asLongValue())));
        });
    }

    private String open(JobRun run, String ciphertext) throws SourceRefused {
        try {
            return secrets.open(run.tenant(), CostSource.SECRET_PURPOSE, ciphertext).await().indefinitely();
        } catch (SecretRefusedException e) {
            throw new SourceRefused("its sealed URL or header does not open: " + e.getMessage());
        }
    }

    private CheckedDestination checked(URI url) throws SourceRefused {
        try {
            return guard.check(url);
        } catch (DestinationRefusedException refused) {
            // the message names the host or address, never the path or query
            throw new SourceRefused("the destination is refused (" + refused.reason() + "): " + refused.getMessage());
        }
    }

    /** A 2xx answer's body; any other answer is a failure that a later fetch may not have. */
    private InputStream body(CheckedDestination to, Map<String, String> headers, long maxBytes) throws IOException {
        EgressDownload.Answer answer = download.get(to, headers,
                new EgressDownload.Limits(config.connectTimeout(), config.idleTimeout(), maxBytes));
        if (answer.status() < 200 || answer.status() > 299) {
            answer.close();
            throw new IOException(to.host() + " answered " + answer.status());
        }
        return answer.body();
    }

    private static String lastSegment(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? url.getHost() : last;
    }

    private static String cut(String reason) {
        return reason.length() <= REASON_CHARS ? reason : reason.substring(0, REASON_CHARS) + "…";
    }

    /** Opens its body at the first read, so that the single file's fetch fails inside the import, which records it. */
    private static final class LazyBody extends FilterInputStream {

        interface Opening {
            InputStream open() throws IOException;
        }

        private final Opening opening;
        private boolean opened;

        LazyBody(Opening opening) {
            super(null);
            this.opening = opening;
        }

        private InputStream body() throws IOException {
            if (!opened) {
                opened = true;
                in = opening.open();
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return body().read();
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            return body().read(into, offset, length);
        }

        @Override
        public long skip(long n) throws IOException {
            return body().skip(n);
        }

        @Override
        public int available() throws IOException {
            return body().available();
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /**
     * An AWS Data Exports {@code Manifest.json}: {@code dataFiles} lists the delivery's files as
     * {@code s3://<bucket>/<key>} URIs. Such a file is fetched from the manifest's own host when that host is the
     * bucket's virtual-hosted S3 endpoint ({@code <bucket>.s3.<region>.amazonaws.com}, {@code <bucket>.s3.amazonaws.com}),
     * with the source's header; an https URL is taken as it is (the guard checks it).
     */
    static final class ExportManifest {

        private ExportManifest() {
        }

        static List<URI> dataFiles(ObjectMapper json, byte[] manifest, URI manifestUrl, int maxFiles)
                throws SourceRefused {
            JsonNode root;
            try {
                root = json.readTree(manifest);
            } catch (IOException e) {
                throw new SourceRefused("the manifest is not JSON");
            }
            JsonNode files = root == null ? null : root.get("dataFiles");
            if (files == null || !files.isArray()) {
                throw new SourceRefused("the manifest has no dataFiles list (is it an AWS Data Exports"
                        + " Manifest.json?)");
            }
            if (files.size() > maxFiles) {
                throw new SourceRefused("the manifest names " + files.size() + " files, more than "
                        + maxFiles + " (cs.jobs.costs.sources.max-files)");
            }
            List<URI> urls = new ArrayList<>();
            for (JsonNode file : files) {
                if (!file.isTextual()) {
                    throw new SourceRefused("a dataFiles entry is not a string");
                }
                urls.add(resolve(file.textValue(), manifestUrl));
            }
            return urls;
        }

        static URI resolve(String entry, URI manifestUrl) throws SourceRefused {
            String lower = entry.toLowerCase(Locale.ROOT);
            if (lower.startsWith("s3://")) {
                String rest = entry.substring("s3://".length());
                int slash = rest.indexOf('/');
                if (slash <= 0 || slash == rest.length() - 1) {
                    throw new SourceRefused("a dataFiles entry is not s3://<bucket>/<key>");
                }
                String bucket = rest.substring(0, slash);
                String key = rest.substring(slash + 1);
                String host = manifestUrl.getHost() == null ? "" : manifestUrl.getHost().toLowerCase(Locale.ROOT);
                if (!bucketHost(bucket).matcher(host).matches()) {
                    throw new SourceRefused("a data file is in bucket " + bucket + ", which is not the manifest's"
                            + " host " + host + ": s3:// files are fetched only from their bucket's virtual-hosted S3"
                            + " endpoint (<bucket>.s3.<region>.amazonaws.com) that served the manifest");
                }
                try {
                    return new URI(manifestUrl.getScheme(), null, manifestUrl.getHost(), manifestUrl.getPort(),
                            "/" + key, null, null);
                } catch (URISyntaxException e) {
                    throw new SourceRefused("a data file's key is not a valid path");
                }
            }
            if (lower.startsWith("https://") || lower.startsWith("http://")) {
                try {
                    return new URI(entry);
                } catch (URISyntaxException e) {
                    throw new SourceRefused("a dataFiles entry is not a valid URL");
                }
            }
            throw new SourceRefused("a dataFiles entry is neither s3:// nor https://");
        }

        private static Pattern bucketHost(String bucket) {
            return Pattern.compile(Pattern.quote(bucket.toLowerCase(Locale.ROOT))
                    + "\\.s3(\\.dualstack)?(\\.[a-z0-9-]+)?\\.amazonaws\\.com");
        }
    }
}
