package com.orderintel.prompteval;

import com.orderintel.llm.ChatCompletions;
import com.orderintel.llm.LlmFormatException;
import com.orderintel.llm.NoteFeatures;
import com.orderintel.llm.OfflineNoteClassifier;
import com.orderintel.llm.OpenAiChatClient;
import com.orderintel.llm.Usage;
import com.orderintel.prompt.PromptTemplate;

import java.util.List;

/** Who answers the prompt during an evaluation: the offline rules or an OpenAI-compatible server. */
public interface NoteLabeler {

    /** Provider name as recorded in the registry ({@code offline}, {@code openai}). */
    String provider();

    /** Model name (prices, metadata); the rules' version for the offline provider. */
    String model();

    /** Answers one rendered prompt (its chat messages) whose note is {@code text}; never throws for a bad answer. */
    Answer label(List<PromptTemplate.Message> prompt, String text);

    /** One answer: features when the output was valid, else why not; tokens billed either way. */
    record Answer(NoteFeatures features, String problem, Usage usage) {
        static Answer valid(NoteFeatures f, Usage u) {
            return new Answer(f, null, u);
        }

        static Answer invalid(String problem, Usage u) {
            return new Answer(null, problem, u);
        }

        public boolean isValid() {
            return features != null;
        }
    }

    /** The deterministic rules the service falls back to; they ignore the prompt's wording. */
    static NoteLabeler offline() {
        OfflineNoteClassifier rules = new OfflineNoteClassifier();
        return new NoteLabeler() {
            @Override
            public String provider() {
                return "offline";
            }

            @Override
            public String model() {
                return OfflineNoteClassifier.RULES_VERSION;
            }

            @Override
            public Answer label(List<PromptTemplate.Message> prompt, String text) {
                return Answer.valid(rules.classify(text), Usage.NONE);
            }
        };
    }

    /** Any server speaking OpenAI's chat completions wire format. */
    static NoteLabeler openAi(OpenAiChatClient client) {
        return new NoteLabeler() {
            @Override
            public String provider() {
                return "openai";
            }

            @Override
            public String model() {
                return client.model();
            }

            @Override
            public Answer label(List<PromptTemplate.Message> prompt, String text) {
                String body;
                try {
                    body = client.complete(prompt);
                } catch (OpenAiChatClient.CallException e) {
                    return Answer.invalid("error: " + e.getMessage(), Usage.NONE);
                }
                Usage usage = ChatCompletions.usage(body);
                try {
                    return Answer.valid(ChatCompletions.noteFeatures(ChatCompletions.parse(body).content()), usage);
                } catch (LlmFormatException e) {
                    return Answer.invalid("malformed: " + e.getMessage(), usage);
                }
            }
        };
    }
}
