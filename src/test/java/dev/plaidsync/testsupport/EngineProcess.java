package dev.plaidsync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine in a child JVM with the test's own classpath, for crash and shutdown tests.
 * {@link #kill()} is a {@code kill -9}; {@link #terminate()} is the SIGTERM of a rollout.
 */
public final class EngineProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private final Path portFile;

	private volatile int port;

	private EngineProcess(Process process, Path log, Path portFile) {
		this.process = process;
		this.log = log;
		this.portFile = portFile;
	}

	public static EngineProcess start(Path workDirectory, Map<String, String> environment, String... arguments) {
		try {
			Files.createDirectories(workDirectory);
			Path log = Files.createTempFile(workDirectory, "engine-", ".log");
			Path portFile = workDirectory.resolve(log.getFileName().toString().replace(".log", ".port"));
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
							"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
							ChildEngineMain.class.getName(), portFile.toString(), "--server.port=0"));
			command.addAll(List.of(arguments));
			ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().keySet().removeIf((name) -> name.startsWith("PLAID") || name.startsWith("SPRING_"));
			builder.environment().putAll(environment);
			builder.environment().putIfAbsent("MANAGEMENT_SERVER_PORT", "0");
			return new EngineProcess(builder.start(), log, portFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The environment of a forked engine on a database the test owns: the test's token
	 * key, no demo users, and every schedule off. Tests add what their scenario needs.
	 */
	public static Map<String, String> environmentOn(String datasourceUrl, String tokenKey, Path dataDirectory) {
		Map<String, String> environment = new java.util.HashMap<>();
		environment.put("PLAID_ENV", "simulator");
		environment.put("SPRING_DATASOURCE_URL", datasourceUrl);
		environment.put("SPRING_DATASOURCE_USERNAME", TestDatabase.username());
		environment.put("PLAIDSYNC_TOKEN_KEY", tokenKey);
		environment.put("PLAIDSYNC_OPS_TOKEN", "child-ops-token");
		environment.put("PLAIDSYNC_DEMO_USERS", "0");
		environment.put("PLAIDSYNC_DATA_DIR", dataDirectory.toString());
		for (String schedule : List.of("HOLDINGS", "BALANCES", "TRANSACTIONS", "RECONCILE", "ITEMCHECK")) {
			environment.put("PLAIDSYNC_SYNC_SCHEDULES_" + schedule, "-");
		}
		return environment;
	}

	/**
	 * A nightly holdings sweep every 3 s (UTC), paced so that a test can stop or kill it
	 * midway.
	 */
	public static Map<String, String> withSlowHoldingsSweeps(Map<String, String> environment) {
		environment.put("PLAIDSYNC_SIMULATOR_LATENCY", "150ms");
		environment.put("PLAIDSYNC_SIMULATOR_LATENCYJITTER", "100ms");
		environment.put("PLAIDSYNC_SYNC_CHUNKSIZE", "20");
		environment.put("PLAIDSYNC_SYNC_FETCHCONCURRENCY", "8");
		environment.put("PLAIDSYNC_SYNC_SCHEDULES_ZONE", "UTC");
		environment.put("PLAIDSYNC_SYNC_SCHEDULES_HOLDINGS", "*/3 * * * * *");
		environment.put("PLAIDSYNC_SYNC_SCHEDULES_LOCKATLEASTFOR", "PT1S");
		return environment;
	}

	public EngineProcess awaitHealthy(Duration timeout) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The engine exited with " + this.process.exitValue() + ":\n" + log());
			}
			if (!listening()) {
				sleep(200);
				continue;
			}
			try {
				HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return this;
				}
			}
			catch (IOException notYetListening) {
				// still starting
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(200);
		}
		throw new IllegalStateException("The engine was not healthy within " + timeout + ":\n" + log());
	}

	/**
	 * The engine's own address, once it listens (see {@link #awaitHealthy}); a restarted
	 * engine listens on a new port.
	 */
	public String baseUrl() {
		if (!listening()) {
			throw new IllegalStateException("The engine does not listen yet:\n" + log());
		}
		return "http://localhost:" + this.port;
	}

	private boolean listening() {
		if (this.port == 0 && Files.exists(this.portFile)) {
			try {
				String written = Files.readString(this.portFile, StandardCharsets.UTF_8).strip();
				if (!written.isEmpty()) {
					this.port = Integer.parseInt(written);
				}
			}
			catch (IOException | NumberFormatException stillBeingWritten) {
				// read again next time
			}
		}
		return this.port != 0;
	}

	public String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

	public void kill() {
		this.process.destroyForcibly();
		waitForExit(Duration.ofSeconds(30));
	}

	public int terminate(Duration timeout) {
		this.process.destroy();
		return waitForExit(timeout);
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	private int waitForExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor();
				throw new IllegalStateException("The engine did not exit within " + timeout);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			waitForExit(Duration.ofSeconds(30));
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
