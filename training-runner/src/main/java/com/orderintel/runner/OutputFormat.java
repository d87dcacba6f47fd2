package com.orderintel.runner;

/** {@code --output} of the registry read commands: a table for people or JSON for scripts. */
enum OutputFormat {
    TABLE, JSON;

    @Override
    public String toString() {
        return Choice.word(this);
    }
}
