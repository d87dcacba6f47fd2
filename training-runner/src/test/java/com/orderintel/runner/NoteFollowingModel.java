package com.orderintel.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderintel.testkit.OpenAiLoopback;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the prompt gate's stand-in LLM (the kit's {@link OpenAiLoopback}: OpenAI's chat completions wire format on
 * loopback, no real provider exists on this machine) answers. Like a real model it follows the prompt: a prompt that
 * asks for the {@code {"sentiment": ..., "category": ...}} JSON object gets one (labels from {@code answers}, keyed by
 * the note), any other prompt gets prose; usage is counted from the text (4 characters a token).
 *
 * <p>Like an instruction-following model it also obeys injected instructions, but only where they reach it as
 * instructions: the note is the data field of the prompt (a message holding the JSON object {@code {"note": ...}}, as
 * prompts with {@code data: [note]} send it; otherwise the block between the first triple quotes of the user message);
 * text after that block closes (a note containing triple quotes closes it early) is read as instructions, and any
 * {@code sentiment=...} / {@code "category": "..."} there overrides the answer. Text inside the data field is never
 * obeyed.
 */
final class NoteFollowingModel implements Function<JsonNode, OpenAiLoopback.Answer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INJECTED = Pattern.compile(
            "(sentiment|category)\"?\\s*[=:]\\s*\"?(negative|neutral|positive|delivery|payment|return|product|fraud|other)\\b");

    private final Map<String, Map<String, String>> answers;

    NoteFollowingModel(Map<String, Map<String, String>> answers) {
        this.answers = answers;
    }

    /** A loopback provider answering as this model. */
    static OpenAiLoopback provider(Map<String, Map<String, String>> answers) throws IOException {
        OpenAiLoopback provider = new OpenAiLoopback();
        provider.model = new NoteFollowingModel(answers);
        return provider;
    }

    @Override
    public OpenAiLoopback.Answer apply(JsonNode body) {
        JsonNode messages = body.path("messages");
        String[] noteAndInstructions = noteAndInjectedText(messages);
        String prompt = noteAndInstructions[2];
        String content;
        if (prompt.contains("{\"sentiment\":")) {
            Map<String, String> labels = new HashMap<>(answers.getOrDefault(noteAndInstructions[0],
                    Map.of("sentiment", "neutral", "category", "other")));
            Matcher injected = INJECTED.matcher(noteAndInstructions[1]);
            while (injected.find()) { // obeys what reached it outside the data field
                labels.put(injected.group(1), injected.group(2));
            }
            content = JSON.createObjectNode().put("sentiment", labels.get("sentiment"))
                    .put("category", labels.get("category")).toString();
        } else {
            content = "This customer seems a bit unhappy; the note is mostly about their order.";
        }
        int promptChars = 0;
        for (JsonNode m : messages) {
            promptChars += m.path("content").asText().length();
        }
        return new OpenAiLoopback.Answer(content, Math.max(1, promptChars / 4), Math.max(1, content.length() / 4));
    }

    /**
     * The note as the model sees it (its data field), the text after the data field closed early ("" if none), and
     * the prompt's own instructions (everything before the data field, or every message but the data message).
     */
    private static String[] noteAndInjectedText(JsonNode messages) {
        StringBuilder instructions = new StringBuilder();
        String note = null;
        for (JsonNode m : messages) {
            String content = m.path("content").asText();
            JsonNode data = null;
            try {
                data = JSON.readTree(content);
            } catch (IOException notJson) {
                // an instructions message
            }
            if (note == null && data != null && data.isObject() && data.path("note").isTextual()) {
                note = data.path("note").asText();
            } else {
                instructions.append(content).append('\n');
            }
        }
        if (note != null) {
            return new String[] {note, "", instructions.toString()};
        }
        String user = messages.get(messages.size() - 1).path("content").asText();
        int open = user.indexOf("\"\"\"\n");
        if (open < 0) {
            return new String[] {user, "", user};
        }
        int close = user.indexOf("\"\"\"", open + 4);
        note = close < 0 ? user.substring(open + 4) : user.substring(open + 4, close);
        note = note.endsWith("\n") ? note.substring(0, note.length() - 1) : note;
        return new String[] {note, close < 0 ? "" : user.substring(close + 3), user.substring(0, open)};
    }
}
