package com.orderintel.batch;

import com.orderintel.dataset.CsvRows;
import com.orderintel.dataset.DataException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Where a batch reads its inputs: a CSV file or a table, streamed row by row with a line (or row) number. */
sealed interface BatchInput permits BatchInput.Csv, BatchInput.Table {

    String describe();

    /** Streams every row; rows whose number is {@code <= after} are skipped (resume). */
    void forEach(long after, List<String> columns, Consumer<CsvRows.Row> consumer);

    record Csv(java.nio.file.Path file) implements BatchInput {
        @Override
        public String describe() {
            return file.toAbsolutePath().normalize().toUri().toString();
        }

        @Override
        public void forEach(long after, List<String> columns, Consumer<CsvRows.Row> consumer) {
            CsvRows.forEach(file, columns, row -> {
                if (row.line() > after) {
                    consumer.accept(row);
                }
            }, true);
        }
    }

    /** A table (optionally schema-qualified) read in primary-key-free order of a cursor, numbered from 1. */
    record Table(Connection connection, String table) implements BatchInput {
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

        public Table {
            if (!NAME.matcher(table).matches()) {
                throw new DataException("--input-table '" + table + "' is not a plain [schema.]table name");
            }
        }

        @Override
        public String describe() {
            return "table:" + table;
        }

        @Override
        public void forEach(long after, List<String> columns, Consumer<CsvRows.Row> consumer) {
            String cols = String.join(", ", columns);
            try {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false); // PostgreSQL streams with a cursor only outside auto-commit
                try (Statement st = connection.createStatement()) {
                    st.setFetchSize(10_000);
                    // ctid order is the table's physical order: stable for an unchanged table, so resume works
                    try (ResultSet rs = st.executeQuery("SELECT " + cols + " FROM " + table + " ORDER BY ctid")) {
                        ResultSetMetaData md = rs.getMetaData();
                        Map<String, Integer> index = new HashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            index.put(md.getColumnLabel(i), i - 1);
                        }
                        long n = 0;
                        while (rs.next()) {
                            n++;
                            if (n <= after) {
                                continue;
                            }
                            String[] values = new String[columns.size()];
                            for (int i = 0; i < values.length; i++) {
                                String v = rs.getString(i + 1);
                                values[i] = v == null ? "" : v;
                            }
                            consumer.accept(CsvRows.Row.of(describe(), n, index, values));
                        }
                    }
                } finally {
                    connection.commit();
                    connection.setAutoCommit(autoCommit);
                }
            } catch (SQLException e) {
                throw new DataException("cannot read " + describe() + ": " + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }
    }
}
