package com.orderintel.batch;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * A table's columns declared once, and everything written from that one list: the COPY statement and a row's COPY
 * text line (the fast path), the INSERT statement and a row's parameter binding (the fallback), and a staging table's
 * DDL. Shared by batch-inference's chunk writer and the advisor service's capture writer, so a column is never
 * spelled again in a second place that could drift from the first.
 *
 * @param <R> the row type the columns read
 */
public final class CopyTable<R> {

    /** One column: its name and SQL type, how a row's value is written as COPY text and bound as a parameter. */
    public interface Column<R> {
        String name();

        String sqlType();

        void append(StringBuilder line, R row);

        void bind(PreparedStatement ps, int index, R row) throws SQLException;

        /** The row's value as a Java object (String, Double, Boolean, Integer, Long, LocalDate, Instant or List). */
        Object value(R row);
    }

    private final String table;
    private final List<Column<R>> columns;
    private final String names;

    private CopyTable(String table, List<Column<R>> columns) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    @SafeVarargs
    public static <R> CopyTable<R> of(String table, Column<R>... columns) {
        return new CopyTable<>(table, List.of(columns));
    }

    public String table() {
        return table;
    }

    /** {@code COPY table (columns) FROM STDIN} (text format). */
    public String copySql() {
        return "COPY " + table + " (" + names + ") FROM STDIN";
    }

    /** {@code INSERT INTO table (columns) VALUES (?, ...)} followed by {@code suffix} (e.g. an ON CONFLICT clause). */
    public String insertSql(String suffix) {
        return "INSERT INTO " + table + " (" + names + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")" + (suffix.isEmpty() ? "" : " " + suffix);
    }

    /** A temporary table of these columns, emptied at each commit (a chunk's staging table). */
    public String tempTableDdl() {
        return "CREATE TEMP TABLE IF NOT EXISTS " + table + " ("
                + columns.stream().map(c -> c.name() + " " + c.sqlType()).collect(Collectors.joining(", "))
                + ") ON COMMIT DELETE ROWS";
    }

    /** Appends the row as one COPY text line (tab-separated, newline-terminated). */
    public StringBuilder append(StringBuilder copy, R row) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                copy.append('\t');
            }
            columns.get(i).append(copy, row);
        }
        return copy.append('\n');
    }

    /** The columns, in table order. */
    public List<Column<R>> columns() {
        return columns;
    }

    /** Binds the row's values to the parameters of {@link #insertSql(String)}. */
    public void bind(PreparedStatement ps, R row) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).bind(ps, i + 1, row);
        }
    }

    /**
     * A COPY text field: backslash, tab and line breaks escaped; null as {@code \N}. NUL has no escape in PostgreSQL
     * text: such a value must be refused before it gets here (every entry point checks identifiers).
     */
    public static String text(String s) {
        if (s == null) {
            return "\\N";
        }
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    public static <R> Column<R> text(String name, Function<? super R, String> value) {
        return new Col<>(name, "text", (b, r) -> b.append(text(value.apply(r))), (ps, i, r) -> ps.setString(i, value.apply(r)),
                value::apply);
    }

    public static <R> Column<R> float8(String name, ToDoubleFunction<? super R> value) {
        return new Col<>(name, "float8", (b, r) -> b.append(value.applyAsDouble(r)), (ps, i, r) -> ps.setDouble(i, value.applyAsDouble(r)),
                value::applyAsDouble);
    }

    public static <R> Column<R> bool(String name, Predicate<? super R> value) {
        return new Col<>(name, "boolean", (b, r) -> b.append(value.test(r) ? 't' : 'f'), (ps, i, r) -> ps.setBoolean(i, value.test(r)),
                value::test);
    }

    public static <R> Column<R> int2(String name, ToIntFunction<? super R> value) {
        return new Col<>(name, "smallint", (b, r) -> b.append(value.applyAsInt(r)),
                (ps, i, r) -> ps.setShort(i, (short) value.applyAsInt(r)), value::applyAsInt);
    }

    public static <R> Column<R> int8(String name, ToLongFunction<? super R> value) {
        return new Col<>(name, "bigint", (b, r) -> b.append(value.applyAsLong(r)), (ps, i, r) -> ps.setLong(i, value.applyAsLong(r)),
                value::applyAsLong);
    }

    public static <R> Column<R> date(String name, Function<? super R, LocalDate> value) {
        return new Col<>(name, "date", (b, r) -> b.append(value.apply(r)), (ps, i, r) -> ps.setDate(i, Date.valueOf(value.apply(r))),
                value::apply);
    }

    public static <R> Column<R> timestamptz(String name, Function<? super R, Instant> value) {
        return new Col<>(name, "timestamptz", (b, r) -> b.append(value.apply(r)),
                (ps, i, r) -> ps.setTimestamp(i, Timestamp.from(value.apply(r))), value::apply);
    }

    /** A text[] of plain names (feature names: no quoting needed inside the array literal). */
    public static <R> Column<R> textArray(String name, Function<? super R, List<String>> value) {
        return new Col<>(name, "text[]", (b, r) -> b.append('{').append(String.join(",", value.apply(r))).append('}'),
                (ps, i, r) -> ps.setArray(i, ps.getConnection().createArrayOf("text", value.apply(r).toArray())), value::apply);
    }

    private interface Appender<R> {
        void append(StringBuilder b, R row);
    }

    private interface Binder<R> {
        void bind(PreparedStatement ps, int index, R row) throws SQLException;
    }

    private record Col<R>(String name, String sqlType, Appender<R> appender, Binder<R> binder, Function<R, Object> getter)
            implements Column<R> {
        @Override
        public Object value(R row) {
            return getter.apply(row);
        }

        @Override
        public void append(StringBuilder line, R row) {
            appender.append(line, row);
        }

        @Override
        public void bind(PreparedStatement ps, int index, R row) throws SQLException {
            binder.bind(ps, index, row);
        }
    }
}
