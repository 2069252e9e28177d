package io.cloudsentinel.e2e;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's Prometheus metrics as an operator scrapes them, from its management interface. */
final class Metrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Metrics() {
    }

    /** The sum of a metric's samples whose labels include {@code label="value"} (all samples when label is null). */
    static double sum(String service, String metric, String label, String value) {
        return sum(SuiteUnderTest.stack().management(service, "/q/metrics"), metric, label, value);
    }

    /** As {@link #sum(String, String, String, String)}, from the scrape at {@code metrics}. */
    static double sum(java.net.URI metrics, String metric, String label, String value) {
        String text = scrape(metrics);
        // a sample's value follows its labels; an exemplar may follow it (" # {trace_id=…} 1.0 <time>")
        Pattern sample = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE);
        Matcher found = sample.matcher(text);
        double sum = 0;
        while (found.find()) {
            String labels = found.group(1) == null ? "" : found.group(1);
            if (label == null || labels.contains(label + "=\"" + value + "\"")) {
                sum += Double.parseDouble(found.group(2));
            }
        }
        return sum;
    }

    /** The scrape's lines of one metric, for a failure's message. */
    static String lines(String service, String metric) {
        return String.join("\n", scrape(SuiteUnderTest.stack().management(service, "/q/metrics")).lines()
                .filter(line -> line.contains(metric)).toList());
    }

    private static String scrape(java.net.URI metrics) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(metrics).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(metrics + ": " + answer.statusCode());
            }
            return answer.body();
        } catch (IOException e) {
            throw new IllegalStateException(metrics + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
