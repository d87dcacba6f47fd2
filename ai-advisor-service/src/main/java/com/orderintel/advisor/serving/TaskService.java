package com.orderintel.advisor.serving;

import com.orderintel.advisor.model.LoadedModel;
import com.orderintel.advisor.web.RequestValidation;
import com.orderintel.registry.ServableModel;

import java.util.ArrayList;
import java.util.List;

/**
 * One task's request rows (REST and Open Inference Protocol) in and out of the serving pipeline, single or batch: the
 * same validation, canary routing (a single record, or a one-record batch, by its key), explanation and response
 * order for every task. A task says only how a request row becomes the model's input, its routing key, and how a
 * scored record becomes a response row.
 *
 * @param <Q> a request row
 * @param <R> a response row
 */
public abstract class TaskService<M extends ServableModel, Q, I, O, E, R> {

    protected final ServingPipeline pipeline;
    private final RequestValidation validation;
    private final ServingTask<M, I, O, E> task;

    protected TaskService(ServingTask<M, I, O, E> task, ServingPipeline pipeline, RequestValidation validation) {
        this.task = task;
        this.pipeline = pipeline;
        this.validation = validation;
    }

    /** The key a single record is routed by (canary share). */
    protected abstract String routingKey(Q request);

    /** A validated request row as the model's input; {@code prefix} names the row in errors ("" or "items[3]."). */
    protected abstract I input(LoadedModel<M> model, Q request, String prefix);

    protected abstract R response(Scored<I, O> scored, int i, E explanation);

    /** After scoring, per record (e.g. hand its note to enrichment). */
    protected void scored(Source source, Q request, String predictionId) {
    }

    /** One record; with {@code explain}, the response carries its explanation. */
    public R one(Source source, Q request, boolean explain) {
        Scored<I, O> s = pipeline.score(task, source, request == null ? null : routingKey(request), 1, model -> {
            validation.check(request);
            return List.of(input(model, request, ""));
        });
        scored(source, request, s.predictionIds().getFirst());
        return response(s, 0, explain ? pipeline.explain(task, s).getFirst() : null);
    }

    /** Records in request order; with {@code explain}, each response carries its explanation. */
    public List<R> batch(Source source, List<Q> items, boolean explain) {
        String routingKey = items != null && items.size() == 1 && items.getFirst() != null ? routingKey(items.getFirst()) : null;
        Scored<I, O> s = pipeline.score(task, source, routingKey, items == null ? 0 : items.size(), model -> {
            validation.checkBatch(items);
            List<I> inputs = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                String prefix = "items[" + i + "].";
                validation.check(items.get(i), prefix);
                inputs.add(input(model, items.get(i), prefix));
            }
            return inputs;
        });
        List<E> explanations = explain ? pipeline.explain(task, s) : null;
        List<R> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            scored(source, items.get(i), s.predictionIds().get(i));
            out.add(response(s, i, explanations == null ? null : explanations.get(i)));
        }
        return out;
    }
}
