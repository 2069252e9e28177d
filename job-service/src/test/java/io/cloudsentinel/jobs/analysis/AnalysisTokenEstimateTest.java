package io.cloudsentinel.jobs.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;

/** The input-token estimate is an upper bound for each kind of model (plain logic, no Quarkus). */
class AnalysisTokenEstimateTest {

    private static final String SCHEMA = AnalysisAnswer.SCHEMA;
    private static final List<ChatMessage> MESSAGES = List.of(new ChatMessage("system", AnalysisPrompt.INSTRUCTIONS),
            new ChatMessage("user", "{\"costLines\":[{\"item\":\"EC2 – Frankfurt\",\"amount\":\"1234.56\","
                    + "\"currency\":\"EUR\"},{\"item\":\"S3 ストレージ\",\"amount\":\"12\",\"currency\":\"JPY\"}]}"));

    private final TokenEstimate estimate = new TokenEstimate();

    @Test
    void openAiModelsAreCountedWithTheirOwnTokenizer() {
        assertThat(TokenEstimate.encodingOf("gpt-4o-mini")).contains(EncodingType.O200K_BASE);
        assertThat(TokenEstimate.encodingOf("gpt-4.1")).contains(EncodingType.O200K_BASE);
        assertThat(TokenEstimate.encodingOf("o3-mini")).contains(EncodingType.O200K_BASE);
        assertThat(TokenEstimate.encodingOf("openai/gpt-4o")).contains(EncodingType.O200K_BASE);
        assertThat(TokenEstimate.encodingOf("gpt-4-turbo")).contains(EncodingType.CL100K_BASE);
        assertThat(TokenEstimate.encodingOf("gpt-3.5-turbo")).contains(EncodingType.CL100K_BASE);
        assertThat(TokenEstimate.encodingOf("llama-3.3-70b")).isEmpty();
        assertThat(TokenEstimate.encodingOf("mixtral-8x7b")).isEmpty();
    }

    @Test
    void anOpenAiEstimateCoversTheTokensOfTheTextThePerMessageTokensAndAMargin() {
        var o200k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        int text = o200k.countTokens(SCHEMA) + MESSAGES.stream()
                .mapToInt(m -> o200k.countTokens(m.role()) + o200k.countTokens(m.content())).sum();
        int overhead = TokenEstimate.OPENAI_PRIMING + TokenEstimate.OPENAI_PER_MESSAGE * (MESSAGES.size() + 1);

        int estimated = estimate.inputTokens("gpt-4o-mini", MESSAGES, SCHEMA);

        assertThat(estimated).isGreaterThanOrEqualTo((int) Math.ceil((text + overhead) * 1.05))
                .isLessThan((text + overhead) * 2);
    }

    @Test
    void anotherModelIsCountedAsBytesWhichNoByteLevelTokenizerExceeds() {
        long bytes = SCHEMA.getBytes(StandardCharsets.UTF_8).length + MESSAGES.stream()
                .mapToLong(m -> (m.role() + m.content()).getBytes(StandardCharsets.UTF_8).length).sum();

        int estimated = estimate.inputTokens("llama-3.3-70b", MESSAGES, SCHEMA);

        assertThat(estimated).isGreaterThan((int) bytes);
        // and far more than any OpenAI tokenizer counts for the same text
        assertThat(estimated).isGreaterThan(estimate.inputTokens("gpt-4o-mini", MESSAGES, SCHEMA));
    }

    @Test
    void textThatSpellsASpecialTokenIsCountedAsPlainText() {
        List<ChatMessage> sneaky = List.of(new ChatMessage("user", "cost <|endoftext|> report"));

        assertThat(estimate.inputTokens("gpt-4o", sneaky, "{}")).isPositive();
    }
}
