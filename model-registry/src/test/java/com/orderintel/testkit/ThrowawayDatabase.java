package com.orderintel.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own on the machine's real PostgreSQL (127.0.0.1:5432, trust auth), dropped on close. Shared by
 * the runner's, the service's and the end-to-end tests (the driver comes from the module that uses it). As a static
 * {@code @RegisterExtension} field it is dropped after the test class.
 */
public final class ThrowawayDatabase implements AutoCloseable, AfterAllCallback {

    /** The PostgreSQL user the tests connect as (trust auth, no password). */
    public static final String USER = "postgres";
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private final String name;

    public ThrowawayDatabase(String prefix) {
        this.name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = DriverManager.getConnection(ADMIN, USER, ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed: " + e.getMessage(), e);
        }
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** The first column of the first row of {@code sql}, as a long. */
    public long count(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(ADMIN, USER, ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop " + name + ": " + e.getMessage(), e);
        }
    }
}
