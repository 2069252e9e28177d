package io.cloudsentinel.jobs.analysis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * An upper bound of a request's input tokens, which the budget reserves before the call. OpenAI models are counted
 * with their own tokenizer (jtokkit: {@code o200k_base} for gpt-4o, gpt-4.1, gpt-5 and the o-series,
 * {@code cl100k_base} for the other gpt-4 and gpt-3.5 models), plus the chat format's tokens per message and 5%.
 * Any other model (llama, mixtral, …) is counted as the UTF-8 bytes of the request, plus its chat template's special
 * tokens: a byte-level BPE token covers at least one byte, so no tokenizer of that kind can count more.
 */
public final class TokenEstimate {

    /** OpenAI's chat format: {@code <|start|>role<|message|>…<|end|>} per message, and the reply's priming. */
    static final int OPENAI_PER_MESSAGE = 4;
    static final int OPENAI_PRIMING = 3;
    /** Chat templates of open models wrap each message in a few special tokens; generous. */
    static final int TEMPLATE_PER_MESSAGE = 8;
    static final int TEMPLATE_PRIMING = 16;
    static final double MARGIN = 1.05;

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

    /**
     * @param schema the answer's JSON Schema as sent in {@code response_format}: OpenAI turns it into input the
     *        model reads, so it counts as one more message
     */
    public int inputTokens(String model, List<ChatMessage> messages, String schema) {
        Optional<Encoding> encoding = encodingOf(model).map(registry::getEncoding);
        if (encoding.isEmpty()) {
            long bytes = utf8(schema) + TEMPLATE_PRIMING + (long) TEMPLATE_PER_MESSAGE * (messages.size() + 1);
            for (ChatMessage message : messages) {
                bytes += utf8(message.role()) + utf8(message.content());
            }
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        }
        long tokens = encoding.get().countTokensOrdinary(schema) + OPENAI_PRIMING
                + (long) OPENAI_PER_MESSAGE * (messages.size() + 1);
        for (ChatMessage message : messages) {
            // ordinary: a tenant's text that spells a special token is sent, and counted, as plain text
            tokens += encoding.get().countTokensOrdinary(message.role())
                    + encoding.get().countTokensOrdinary(message.content());
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(tokens * MARGIN));
    }

    /** The tokenizer of an OpenAI model (a {@code provider/} prefix such as LiteLLM's ignored); empty for others. */
    static Optional<EncodingType> encodingOf(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        name = name.substring(name.lastIndexOf('/') + 1);
        if (name.startsWith("gpt-4o") || name.startsWith("chatgpt-4o") || name.startsWith("gpt-4.1")
                || name.startsWith("gpt-4.5") || name.startsWith("gpt-5") || name.matches("o[1-9]([-.].*)?")) {
            return Optional.of(EncodingType.O200K_BASE);
        }
        if (name.startsWith("gpt-4") || name.startsWith("gpt-3.5") || name.startsWith("gpt-35")) {
            return Optional.of(EncodingType.CL100K_BASE);
        }
        return Optional.empty();
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
