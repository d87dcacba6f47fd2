package com.orderintel.runner;

import com.orderintel.store.Schema;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import javax.sql.DataSource;

/**
 * The PostgreSQL connection options of the commands that use the platform's store ({@code infer},
 * {@code dataset export}): the service's own {@code SPRING_DATASOURCE_*} variables by default, so CI and operators
 * pass no password on a command line.
 */
final class DatabaseOptions {

    @Option(names = "--jdbc-url", defaultValue = "${env:SPRING_DATASOURCE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}",
            description = "PostgreSQL of the platform ($SPRING_DATASOURCE_URL if set).")
    String jdbcUrl;
    @Option(names = "--user", defaultValue = "${env:SPRING_DATASOURCE_USERNAME:-postgres}",
            description = "Database user ($SPRING_DATASOURCE_USERNAME if set).")
    String user;
    @Option(names = "--password", defaultValue = "${env:SPRING_DATASOURCE_PASSWORD:-}", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Database password (default: $SPRING_DATASOURCE_PASSWORD, else none).")
    String password;

    DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** The store for a command that writes to it: the platform schema migrated first, once per command. */
    DataSource migrated() {
        DataSource ds = dataSource();
        Schema.migrate(ds);
        return ds;
    }
}
