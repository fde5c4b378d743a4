package dev.plaidsync.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server whose cluster lives in a directory that survives restarts.
 * Unlike zonky's defaults, the directory is never cleaned, commits are synchronous, and a
 * server left running by a process that was killed is stopped before the new one starts.
 * <p>
 * Its owner closes it: no JVM shutdown hook of zonky's stops it, since such a hook runs
 * at the same time as Spring's and took the database away while the engine was still
 * stopping its jobs and pools. In the engine, the Spring context closes it last, after
 * the web server, the jobs and the connection pools that depend on it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final Duration LEFTOVER_SHUTDOWN_WAIT = Duration.ofSeconds(30);

	private final EmbeddedPostgres postgres;

	private final Path dataDirectory;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
		this.postgres = postgres;
		this.dataDirectory = dataDirectory;
	}

	public static EmbeddedPostgresServer start(Path dataDirectory) {
		return start(dataDirectory, 0);
	}

	/**
	 * As {@link #start(Path)}, listening on {@code port}; 0 picks a free one. A server
	 * restarted on the same directory and port is the same database to clients whose
	 * pools reconnect.
	 */
	public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
		try {
			Files.createDirectories(dataDirectory);
			stopLeftoverServer(dataDirectory);
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setServerConfig("synchronous_commit", "on")
				.setServerConfig("fsync", "on")
				.setServerConfig("max_connections", "300")
				.setPGStartupWait(Duration.ofSeconds(60))
				.setPort(port)
				.setRegisterShutdownHook(false)
				.start();
			return new EmbeddedPostgresServer(postgres, dataDirectory);
		}
		catch (IOException ex) {
			throw new StartupConfigurationException(
					"The embedded PostgreSQL could not start in " + dataDirectory.toAbsolutePath() + ": "
							+ ex.getMessage(),
					"Check that PLAIDSYNC_DATA_DIR is writable and not used by another running engine, "
							+ "or set SPRING_DATASOURCE_URL to an external PostgreSQL.",
					ex);
		}
	}

	public String jdbcUrl(String database) {
		return this.postgres.getJdbcUrl("postgres", database);
	}

	public int port() {
		return this.postgres.getPort();
	}

	public Path dataDirectory() {
		return this.dataDirectory;
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

	/**
	 * After a {@code kill -9} of the JVM, the postmaster it started keeps running and
	 * holds the data directory. It is asked for a fast shutdown (SIGINT), which rolls
	 * back open transactions and keeps every committed one.
	 */
	static void stopLeftoverServer(Path dataDirectory) throws IOException {
		Optional<ProcessHandle> leftover = leftoverPostmaster(dataDirectory);
		if (leftover.isEmpty()) {
			return;
		}
		ProcessHandle postmaster = leftover.get();
		log.warn("A PostgreSQL server (pid {}) left by a previous run still holds {}; stopping it before starting",
				postmaster.pid(), dataDirectory.toAbsolutePath());
		signal("INT", postmaster.pid());
		try {
			postmaster.onExit().get(LEFTOVER_SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception notStoppedInTime) {
			log.warn("PostgreSQL pid {} did not stop within {}; killing it", postmaster.pid(), LEFTOVER_SHUTDOWN_WAIT);
			postmaster.destroyForcibly();
			postmaster.onExit().join();
		}
	}

	private static Optional<ProcessHandle> leftoverPostmaster(Path dataDirectory) throws IOException {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		if (!Files.isRegularFile(pidFile)) {
			return Optional.empty();
		}
		List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
		if (lines.size() < 2) {
			return Optional.empty();
		}
		long pid;
		try {
			pid = Long.parseLong(lines.get(0).trim());
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
		Path recordedDirectory = Path.of(lines.get(1).trim());
		return ProcessHandle.of(pid)
			.filter(ProcessHandle::isAlive)
			.filter((process) -> isPostgresServing(process, recordedDirectory, dataDirectory));
	}

	private static boolean isPostgresServing(ProcessHandle process, Path recordedDirectory, Path dataDirectory) {
		boolean isPostgres = process.info().command().map((command) -> command.endsWith("postgres")).orElse(false);
		try {
			return isPostgres && Files.isSameFile(recordedDirectory, dataDirectory);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void signal(String signal, long pid) throws IOException {
		try {
			new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO()
				.start()
				.waitFor(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while stopping PostgreSQL pid " + pid, ex);
		}
	}

}
