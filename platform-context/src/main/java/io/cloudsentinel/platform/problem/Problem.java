package io.cloudsentinel.platform.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An RFC 9457 problem: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance} and extension
 * members that help the caller (which budget blocked, what remains, when it resets).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "type", "title", "status", "detail", "instance" })
public record Problem(URI type, String title, int status, String detail, URI instance,
        Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
        for (String reserved : new String[] { "type", "title", "status", "detail", "instance" }) {
            if (extensions.containsKey(reserved)) {
                throw new IllegalArgumentException("extension member '" + reserved + "' is reserved");
            }
        }
    }

    public static Problem of(URI type, int status, String title, String detail) {
        return new Problem(type, title, status, detail, null, Map.of());
    }

    /** A copy with one more extension member, in insertion order of the caller's calls. */
    public Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, title, status, detail, instance, more);
    }

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions;
    }

    // Serialized through extensionMembers() at the top level, not as a nested object.
    @Override
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Map<String, Object> extensions() {
        return extensions;
    }
}
