package com.orderintel.advisor.llm;

import com.orderintel.llm.NoteFeatures;
import com.orderintel.prompt.PromptRef;

/**
 * The features of one order note and where they came from: {@code source} provider or fallback (offline rules),
 * {@code prompt} the pinned prompt version that defines the features (null when none is configured), {@code model}
 * the provider's model or the offline rules' version. Stored with the capture so a training set knows all of it.
 */
public record NoteEnrichment(NoteFeatures features, Enrichment.Source source, PromptRef prompt, String model) { }
