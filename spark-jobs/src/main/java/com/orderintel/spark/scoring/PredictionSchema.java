package com.orderintel.spark.scoring;

import com.orderintel.batch.BatchScorer;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * The prediction table's Spark schema, derived from the batch scorer's own columns (the staging table of a
 * {@code training-runner infer} chunk: line, key, features, prediction), then the stamp (model, version, commit, run
 * id), the reject reason, and the partition columns: {@code outcome} (scored or rejected) and, for orders, the run's
 * {@code scored_date} (demand rows are partitioned by their {@code forecast_date}).
 */
public final class PredictionSchema {

    public static final String OUTCOME = "outcome";
    public static final String SCORED = "scored";
    public static final String REJECTED = "rejected";
    public static final String REJECT_REASON = "reject_reason";
    public static final String SCORED_DATE = "scored_date";
    public static final List<String> STAMP = List.of("model_name", "model_version", "model_commit", "run_id");

    private PredictionSchema() {
    }

    public static StructType of(List<BatchScorer.Column> columns, String task) {
        List<StructField> fields = new ArrayList<>();
        for (BatchScorer.Column c : columns) {
            fields.add(DataTypes.createStructField(c.name(), sparkType(c.sqlType()), true));
        }
        for (String s : STAMP) {
            fields.add(DataTypes.createStructField(s, DataTypes.StringType, true));
        }
        fields.add(DataTypes.createStructField(REJECT_REASON, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(OUTCOME, DataTypes.StringType, false));
        if (task.equals("anomaly")) {
            fields.add(DataTypes.createStructField(SCORED_DATE, DataTypes.DateType, false));
        }
        return DataTypes.createStructType(fields);
    }

    /** The date column Parquet output is partitioned by. */
    public static String dateColumn(String task) {
        return task.equals("anomaly") ? SCORED_DATE : "forecast_date";
    }

    static DataType sparkType(String sqlType) {
        return switch (sqlType) {
            case "bigint" -> DataTypes.LongType;
            case "text" -> DataTypes.StringType;
            case "float8" -> DataTypes.DoubleType;
            case "boolean" -> DataTypes.BooleanType;
            case "smallint" -> DataTypes.IntegerType;
            case "date" -> DataTypes.DateType;
            default -> throw new IllegalArgumentException("no Spark type for the batch column type " + sqlType);
        };
    }
}
