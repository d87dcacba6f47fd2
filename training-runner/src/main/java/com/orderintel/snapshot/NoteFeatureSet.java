package com.orderintel.snapshot;

import com.orderintel.dataset.DataException;
import com.orderintel.dataset.Datasets;
import com.orderintel.llm.NoteFeatureEncoding;
import com.orderintel.llm.NoteFeatures;
import com.orderintel.prompt.PromptRef;
import com.orderintel.training.NoteInputs;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** The notes part as training inputs: the rows the service can reproduce, keyed by order id, under one prompt version. */
public final class NoteFeatureSet {

    private NoteFeatureSet() {
    }

    /**
     * Keeps the rows made by the offline rules (what the service computes at scoring time); rows made by a provider
     * model are left out and counted, since serving would compute a possibly different value for the same note.
     * Refuses rows made under more than one prompt version, a value outside the vocabularies, and a part without
     * a usable row.
     */
    public static NoteInputs of(NoteFeatureEncoding encoding, Datasets.Loaded<NoteRow> notes) {
        Map<String, NoteFeatures> byOrder = new HashMap<>();
        Map<String, Integer> ignored = new LinkedHashMap<>();
        TreeSet<String> prompts = new TreeSet<>();
        PromptRef prompt = null;
        String where = notes.ref().uri();
        for (NoteRow r : notes.rows()) {
            if (!NoteFeatureEncoding.COMPUTED_BY.equals(r.model())) {
                ignored.merge(r.model(), 1, Integer::sum);
                continue;
            }
            NoteFeatures f;
            try {
                f = new NoteFeatures(NoteFeatures.SENTIMENTS.get(r.noteSentiment() + 1), r.noteCategory());
            } catch (IllegalArgumentException e) {
                throw new DataException(where + ": order " + r.orderId() + ": " + e.getMessage());
            }
            if (byOrder.put(r.orderId(), f) != null) {
                throw new DataException(where + ": order " + r.orderId() + " has more than one note row");
            }
            prompts.add(r.promptId());
            if (r.promptName() != null) {
                prompt = new PromptRef(r.promptName(), r.promptVersion(), r.promptSha256());
            }
        }
        if (byOrder.isEmpty()) {
            throw new DataException(where + ": no note rows made by " + NoteFeatureEncoding.COMPUTED_BY
                    + " (the service computes note features with these rules only)"
                    + (ignored.isEmpty() ? "" : "; rows by other models: " + ignored));
        }
        if (prompts.size() > 1) {
            throw new DataException(where + ": note features made under " + prompts.size() + " prompt versions " + prompts
                    + "; a model's features must come from one: export a time range captured under one prompt version");
        }
        if (prompt == null) {
            throw new DataException(where + ": the note rows name no prompt version; the model's manifest must pin the one"
                    + " that defines its note features");
        }
        return new NoteInputs(encoding, byOrder, prompt, notes.ref(), ignored);
    }
}
