package com.orderintel.training;

/** What a tree-ensemble trainer reports as it goes (the CLI prints it on stderr when training runs long). */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress NONE = (built, total) -> { };

    /** Called after each tree (or boosting round) with the number built so far and the number planned. */
    void treesBuilt(int built, int total);
}
