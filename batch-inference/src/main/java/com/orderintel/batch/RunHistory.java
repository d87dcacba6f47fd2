package com.orderintel.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code inference_runs} table: one row per run id, its status, counters and resume point. */
public final class RunHistory {

    /** One run as stored. */
    public record Run(String runId, String task, String modelName, String modelVersion, String modelCommit, String input,
                      String status, long rowsRead, long rowsWritten, long rowsSkipped, int chunksCommitted, long lastLine,
                      Instant startedAt, Instant finishedAt, String error) { }

    private RunHistory() {
    }

    public static Optional<Run> find(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM inference_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** The most recent runs first. */
    public static List<Run> recent(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM inference_runs ORDER BY started_at DESC, run_id LIMIT ?")) {
            ps.setInt(1, limit);
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        }
    }

    /** Time of the last successful run, if any. */
    public static Optional<Instant> lastSuccess(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(finished_at) FROM inference_runs WHERE status = 'SUCCEEDED'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return Optional.ofNullable(t).map(Timestamp::toInstant);
        }
    }

    static Run map(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Run(rs.getString("run_id"), rs.getString("task"), rs.getString("model_name"), rs.getString("model_version"),
                rs.getString("model_commit"), rs.getString("input"), rs.getString("status"), rs.getLong("rows_read"),
                rs.getLong("rows_written"), rs.getLong("rows_skipped"), rs.getInt("chunks_committed"), rs.getLong("last_line"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(), rs.getString("error"));
    }
}
