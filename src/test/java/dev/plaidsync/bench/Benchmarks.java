package dev.plaidsync.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What every benchmark's {@code main} runs through, so that none can rot: a failure of
 * any kind (an exception, an engine that does not start, a run that ends other than as
 * expected, a figure missing) prints why and exits 1, which fails
 * {@code mvn -Pbench ... verify} and CI; success exits 0. {@code -Dbench.size=tiny} asks
 * for the smallest run that still goes through every phase: CI runs each benchmark once
 * that way ({@code .ci/run}).
 */
final class Benchmarks {

	private Benchmarks() {
	}

	/**
	 * The benchmark's body: returns normally when every phase ran and every figure was
	 * printed.
	 */
	@FunctionalInterface
	interface Body {

		void run() throws Exception;

	}

	static void run(String name, Body body) {
		int exit;
		try {
			body.run();
			System.out.printf("%s: done (%d cores, load average %.1f at the end)%n", name,
					Runtime.getRuntime().availableProcessors(),
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
			exit = 0;
		}
		catch (Throwable failure) {
			System.out.flush();
			System.err.println(name + " FAILED: " + failure);
			failure.printStackTrace();
			exit = 1;
		}
		System.out.flush();
		System.err.flush();
		System.exit(exit);
	}

	/** Whether {@code -Dbench.size=tiny} asked for the smallest run (CI's). */
	static boolean tiny() {
		return "tiny".equalsIgnoreCase(System.getProperty("bench.size", "full"));
	}

	/**
	 * {@code tinyValue} in a tiny run, else the system property {@code name}, else
	 * {@code fullValue}.
	 */
	static int size(String name, int tinyValue, int fullValue) {
		return tiny() ? tinyValue : Integer.getInteger(name, fullValue);
	}

	static void check(boolean condition, String failure) {
		if (!condition) {
			throw new IllegalStateException(failure);
		}
	}

	/**
	 * Waits up to three minutes (a loaded machine starts a JVM slowly) until {@code url}
	 * answers 200.
	 */
	static void awaitUp(String url) throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
					.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// starting
			}
			sleep(200);
		}
		throw new IllegalStateException("Did not start within 3 minutes: " + url);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
