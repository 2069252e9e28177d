package io.cloudsentinel.jobs.analysis;

/** One message of a chat completion request: {@code system} or {@code user}. */
public record ChatMessage(String role, String content) {
}
