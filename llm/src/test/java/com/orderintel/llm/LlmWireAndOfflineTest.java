package com.orderintel.llm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The shared OpenAI wire parsing, the offline rules and the price table. */
class LlmWireAndOfflineTest {

    private static String completion(String content, String finish, String usage) {
        return "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":" + content + "},\"finish_reason\":\"" + finish + "\"}]" + usage + "}";
    }

    @Test
    void aCompletionIsParsedWithItsUsageAndItsContentChecked() {
        String body = completion("\"```json\\n{\\\"sentiment\\\": \\\"positive\\\", \\\"category\\\": \\\"product\\\"}\\n```\"",
                "stop", ",\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":14,\"total_tokens\":134}");
        ChatCompletions.Reply reply = ChatCompletions.parse(body);
        assertThat(reply.usage()).isEqualTo(new Usage(120, 14));
        assertThat(ChatCompletions.noteFeatures(reply.content())).isEqualTo(new NoteFeatures("positive", "product"));
        assertThat(ChatCompletions.usage("not json")).isEqualTo(Usage.NONE);
        assertThat(ChatCompletions.parse(completion("\"{}\"", "stop", "")).usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void malformedAnswersNameThePathThatWasWrong() {
        assertThatThrownBy(() -> ChatCompletions.parse("{\"choices\":[]}"))
                .hasMessage("chat: 'choices' must be a non-empty array");
        assertThatThrownBy(() -> ChatCompletions.parse(completion("\"{}\"", "length", "")))
                .hasMessageContaining("'choices[0].finish_reason' is 'length'");
        assertThatThrownBy(() -> ChatCompletions.noteFeatures("{\"sentiment\": \"furious\", \"category\": \"delivery\"}"))
                .hasMessage("chat content: 'sentiment' must be one of [negative, neutral, positive] but was \"furious\"");
        assertThatThrownBy(() -> ChatCompletions.noteFeatures("The customer is happy."))
                .isInstanceOf(LlmFormatException.class).hasMessageStartingWith("chat content: response is not valid JSON");
        assertThat(ChatCompletions.request("gpt-4o-mini", "hi").toString()).isEqualTo("{\"model\":\"gpt-4o-mini\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0,\"response_format\":{\"type\":\"json_object\"}}");
        assertThat(ChatCompletions.request(null, "hi").has("model")).isFalse();
    }

    @Test
    void theOfflineRulesAreDeterministicAndReadNegation() {
        OfflineNoteClassifier rules = new OfflineNoteClassifier();
        assertThat(rules.classify("Please leave the parcel at the side door.")).isEqualTo(new NoteFeatures("neutral", "delivery"));
        assertThat(rules.classify("My card was charged twice, terrible!")).isEqualTo(new NoteFeatures("negative", "payment"));
        assertThat(rules.classify("I did not place this order")).isEqualTo(new NoteFeatures("neutral", "fraud"));
        assertThat(rules.classify("Lovely quality, thanks!")).isEqualTo(new NoteFeatures("positive", "product"));
        assertThat(rules.classify("The fit is not good")).isEqualTo(new NoteFeatures("negative", "product"));
        assertThat(rules.classify("No problem if it ships next week")).isEqualTo(new NoteFeatures("neutral", "delivery"));
        assertThat(rules.classify("Happy birthday!").category()).isEqualTo("other");
        assertThat(new NoteFeatures("negative", "other").sentimentScore()).isEqualTo(-1);
        assertThat(new NoteFeatures("positive", "other").sentimentScore()).isEqualTo(1);
    }

    @Test
    void pricesEstimateCostAndABadEntryIsNamed() {
        TokenPrices prices = TokenPrices.parse("gpt-4o-mini=0.15/0.60, text-embedding-3-small=0.02/0");
        assertThat(prices.cost("gpt-4o-mini", new Usage(1_000_000, 500_000))).isCloseTo(0.45, within(1e-12));
        assertThat(prices.cost("unknown", new Usage(1000, 1000))).isZero();
        assertThat(prices.priced("text-embedding-3-small")).isTrue();
        assertThatThrownBy(() -> TokenPrices.parse("gpt-4o=2.5")).hasMessageContaining("price entry 'gpt-4o=2.5' must be model=prompt/completion");
        assertThatThrownBy(() -> TokenPrices.parse("gpt-4o=a/b")).hasMessageContaining("prices must be numbers");
    }
}
