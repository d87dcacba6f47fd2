package com.orderintel.advisor.serving;

import java.util.List;

/**
 * The one shape of a task's REST controller: a single record and a batch, both through the task's
 * {@link TaskService} as {@link Source#REST}. Subclasses only map the paths and document the endpoints (OpenAPI
 * summaries and examples are per task).
 *
 * @param <Q> the task's request row
 * @param <R> the task's response row
 */
public abstract class TaskController<Q, R> {

    private final TaskService<?, Q, ?, ?, ?, R> service;

    protected TaskController(TaskService<?, Q, ?, ?, ?, R> service) {
        this.service = service;
    }

    protected R one(Q request, boolean explain) {
        return service.one(Source.REST, request, explain);
    }

    protected List<R> batch(List<Q> items, boolean explain) {
        return service.batch(Source.REST, items, explain);
    }
}
