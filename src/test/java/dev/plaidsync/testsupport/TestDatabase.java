package dev.plaidsync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real PostgreSQL server per test JVM. Each caller gets its own database, copied in
 * milliseconds from a template that holds the migrated schema. The server stops when the
 * JVM exits, after the application contexts that use it have closed: their jobs, pools
 * and listeners still talk to it while they stop.
 */
public final class TestDatabase {

	private static final String TEMPLATE = "plaidsync_template";

	private static final AtomicInteger databases = new AtomicInteger();

	private static EmbeddedPostgres server;

	private static final List<ConfigurableApplicationContext> users = new CopyOnWriteArrayList<>();

	private TestDatabase() {
	}

	public static synchronized String newMigratedDatabaseUrl() {
		ensureStarted();
		return createDatabase("TEMPLATE " + TEMPLATE);
	}

	public static synchronized String newEmptyDatabaseUrl() {
		ensureStarted();
		return createDatabase("TEMPLATE template0");
	}

	/**
	 * Closes {@code context} before the server stops at the JVM's exit, if the context is
	 * still open then.
	 */
	public static void closeBeforeServerStops(ConfigurableApplicationContext context) {
		users.add(context);
	}

	public static String username() {
		return "postgres";
	}

	public static synchronized int port() {
		ensureStarted();
		return server.getPort();
	}

	private static String createDatabase(String template) {
		String name = "test_" + databases.incrementAndGet();
		execute("CREATE DATABASE " + name + " " + template);
		return jdbcUrl(name);
	}

	public static String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
	}

	private static void ensureStarted() {
		if (server != null) {
			return;
		}
		try {
			server = EmbeddedPostgres.builder()
				.setServerConfig("synchronous_commit", "on")
				.setServerConfig("max_connections", "1000")
				.setPGStartupWait(Duration.ofSeconds(60))
				.setRegisterShutdownHook(false)
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop, "test-database-stop"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		execute("CREATE DATABASE " + TEMPLATE);
		Flyway.configure()
			.dataSource(jdbcUrl(TEMPLATE), username(), "")
			.locations("classpath:sql/migration")
			.load()
			.migrate();
	}

	/**
	 * Runs at the JVM's exit, while Spring's shutdown hook may be closing the same
	 * contexts: {@code close()} then waits for that close to finish, so the server stops
	 * only when no context needs it.
	 */
	private static void stop() {
		for (int i = users.size() - 1; i >= 0; i--) {
			users.get(i).close();
		}
		try {
			server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void execute(String sql) {
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

}
