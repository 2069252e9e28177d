package io.cloudsentinel.jobs.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.handler.CostIngestionHandler.ExportManifest;
import io.cloudsentinel.jobs.handler.CostIngestionHandler.SourceRefused;

/** An AWS Data Exports manifest's dataFiles as cost_ingestion fetches them: on the bucket's own S3 host only. */
class CostExportManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI REGIONAL = URI.create(
            "https://cur-exports.s3.eu-west-1.amazonaws.com/p/export/metadata/BILLING_PERIOD=2026-11/x-Manifest.json"
                    + "?X-Amz-Signature=abc");

    private static List<URI> files(String manifest, URI url, int max) throws SourceRefused {
        return ExportManifest.dataFiles(JSON, manifest.getBytes(StandardCharsets.UTF_8), url, max);
    }

    @Test
    void s3FilesAreFetchedFromTheManifestsHostWithoutItsQuery() throws SourceRefused {
        List<URI> urls = files("""
                {"executionId": "e", "columns": [], "dataFiles": [
                  "s3://cur-exports/p/export/data/BILLING_PERIOD=2026-11/x-00001.csv.gz",
                  "s3://cur-exports/p/export/data/BILLING_PERIOD=2026-11/x 00002.csv.gz"]}
                """, REGIONAL, 500);

        assertThat(urls).extracting(URI::toString).containsExactly(
                "https://cur-exports.s3.eu-west-1.amazonaws.com/p/export/data/BILLING_PERIOD=2026-11/x-00001.csv.gz",
                "https://cur-exports.s3.eu-west-1.amazonaws.com/p/export/data/BILLING_PERIOD=2026-11/x%2000002.csv.gz");
    }

    @Test
    void theGlobalAndDualStackEndpointsAreTheBucketsHostsToo() throws SourceRefused {
        for (String host : List.of("cur-exports.s3.amazonaws.com", "cur-exports.s3.dualstack.us-east-1.amazonaws.com")) {
            assertThat(ExportManifest.resolve("s3://cur-exports/k.csv", URI.create("https://" + host + "/m.json")))
                    .hasHost(host).hasPath("/k.csv");
        }
    }

    @Test
    void anS3FileOfAnotherBucketOrHostIsRefused() {
        for (String manifest : List.of("https://other.s3.eu-west-1.amazonaws.com/m.json",
                "https://xcur-exports.s3.eu-west-1.amazonaws.com/m.json",
                "https://cur-exports.s3.eu-west-1.amazonaws.com.evil.test/m.json",
                "https://s3.eu-west-1.amazonaws.com/cur-exports/m.json", "https://files.example.com/m.json")) {
            assertThatThrownBy(() -> ExportManifest.resolve("s3://cur-exports/k.csv", URI.create(manifest)))
                    .as(manifest).isInstanceOf(SourceRefused.class).hasMessageContaining("bucket cur-exports");
        }
    }

    @Test
    void anHttpsFileIsTakenAsItIsForTheGuardToCheck() throws SourceRefused {
        assertThat(ExportManifest.resolve("https://files.example.com/a.csv.gz?sig=1", REGIONAL))
                .hasToString("https://files.example.com/a.csv.gz?sig=1");
    }

    @Test
    void aManifestThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> files("not json", REGIONAL, 500)).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> files("{\"reportKeys\": []}", REGIONAL, 500)).hasMessageContaining("dataFiles");
        assertThatThrownBy(() -> files("{\"dataFiles\": [1]}", REGIONAL, 500)).hasMessageContaining("not a string");
        assertThatThrownBy(() -> files("{\"dataFiles\": [\"ftp://x/y\"]}", REGIONAL, 500))
                .hasMessageContaining("neither");
        assertThatThrownBy(() -> files("{\"dataFiles\": [\"s3://cur-exports/\"]}", REGIONAL, 500))
                .hasMessageContaining("s3://<bucket>/<key>");
        assertThatThrownBy(() -> files("{\"dataFiles\": [\"s3://cur-exports/a\", \"s3://cur-exports/b\"]}",
                REGIONAL, 1)).hasMessageContaining("more than 1");
    }
}
