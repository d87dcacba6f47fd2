package com.orderintel.advisor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing of OpenAI-compatible provider responses: the platform's rule before releasing a hybrid model. */
class ProviderResponsesTest {

    private final ProviderResponses parse = new ProviderResponses(new ObjectMapper());

    private static String chat(String content, String finish) {
        return "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + new ObjectMapper().valueToTree(content) + "},\"finish_reason\":\"" + finish + "\"}]}";
    }

    @Test
    void parsesEmbeddingAndChatAnswers() {
        assertThat(parse.embedding("{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":[0.5,-1,2e-3]}]}", 3))
                .containsExactly(0.5f, -1f, 0.002f);
        var s = parse.chatSummary(chat("```json\n{\"summary\":\" Card declined twice. \",\"category\":\"payment\"}\n```", "stop"));
        assertThat(s.summary()).isEqualTo("Card declined twice.");
        assertThat(s.category()).isEqualTo("payment");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|embeddings: empty response body",
            "[1,2]|embeddings: response is not a JSON object",
            "{\"data\":[]}|embeddings: 'data' must be a non-empty array",
            "{\"data\":[{\"embedding\":{}}]}|'data[0].embedding' must be a non-empty array of numbers",
            "{\"data\":[{\"embedding\":[1,null,3]}]}|'data[0].embedding[1]' is not a finite number: null",
            "{\"data\":[{\"embedding\":[1,2]}]}|has 2 dimensions, expected 3",
            "{\"error\":{\"message\":\"x\"}|not valid JSON"})
    void malformedEmbeddingsNameTheProblem(String body, String message) {
        assertThatThrownBy(() -> parse.embedding(body, 3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FallbackReason.MALFORMED);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageStartingWith("malformed provider response: ")
                .hasMessageContaining(message);
    }

    @Test
    void malformedChatAnswersNameTheProblem() {
        assertThatThrownBy(() -> parse.chatSummary("{\"choices\":[]}")).hasMessageContaining("'choices' must be a non-empty array");
        assertThatThrownBy(() -> parse.chatSummary(chat("{\"summary\":\"x\",\"category\":\"delivery\"}", "length")))
                .hasMessageContaining("finish_reason' is 'length'");
        assertThatThrownBy(() -> parse.chatSummary(chat("{\"summary\":\"x\",\"category\":\"weather\"}", "stop")))
                .hasMessageContaining("'category' must be one of").hasMessageContaining("\"weather\"");
        assertThatThrownBy(() -> parse.chatSummary(chat("{\"category\":\"other\"}", "stop")))
                .hasMessageContaining("'summary' must be a non-empty string");
        assertThatThrownBy(() -> parse.chatSummary(chat("", "stop")))
                .hasMessageContaining("'choices[0].message.content' must be a non-empty string");
    }
}
