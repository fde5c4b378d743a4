package dev.plaidsync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A newcomer's cold start: {@code java -jar target/plaid-sync.jar} to a 200 from
 * {@code /readyz} (the readiness probe), on the embedded PostgreSQL and the simulator,
 * with a fresh data directory (initdb, migrations, generated secrets) and with an
 * existing one; then SIGTERM to exit. Medians of {@code COLD_START_RUNS} (3) runs each,
 * for the plain jar, the jar extracted with Spring Boot's {@code -Djarmode=tools} plus a
 * CDS archive from a training run, and the plain jar with
 * {@code spring.main.lazy-initialization=true}; and, when {@code COLD_START_AOT_JAVA}
 * names a JDK 25 or later, that JDK's plain start and its AOT cache (JEP 483/514) trained
 * the same way as the CDS archive. Ratios are of medians measured in the same run; the
 * load average is printed before and after, since the machine may be shared.
 * <p>
 * Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.main=dev.plaidsync.bench.ColdStartBenchmark}
 * (the jar is packaged first). Exits non-zero when a start is not healthy within 5
 * minutes.
 */
public final class ColdStartBenchmark {

	private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(5);

	private record Run(double healthySeconds, double exitSeconds) {
	}

	private record Variant(String name, String java, List<String> javaArguments, Path jar, List<String> appArguments) {
	}

	private static final double TARGET_SECONDS = 8;

	public static void main(String[] args) throws Exception {
		try {
			measure();
		}
		catch (IllegalStateException failed) {
			System.err.println(failed.getMessage());
			System.exit(1);
		}
	}

	private static void measure() throws Exception {
		int runs = Benchmarks.tiny() ? 1 : Integer.parseInt(System.getenv().getOrDefault("COLD_START_RUNS", "3"));
		Path jar = Path.of(System.getProperty("bench.jar", "target/plaid-sync.jar")).toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			System.err.println("No " + jar + ": package it first (mvn -Pbench -DskipTests verify does).");
			System.exit(2);
		}
		Path work = Files.createTempDirectory("cold-start-");
		System.out.printf(Locale.ROOT, "Cold start of %s on %d cores; load average %s%n", jar.getFileName(),
				Runtime.getRuntime().availableProcessors(), loadAverage());

		String aotJava = System.getenv("COLD_START_AOT_JAVA");
		// tiny (CI): the plain start only, so CI stays within its time; the other
		// variants at full size
		String wanted = Benchmarks.tiny() ? "plain"
				: System.getenv().getOrDefault("COLD_START_VARIANTS", "plain,cds,lazy,aot");
		List<Variant> variants = new ArrayList<>();
		if (wanted.contains("plain")) {
			variants.add(new Variant("plain java -jar", java(), List.of(), jar, List.of()));
		}
		Path extracted = work.resolve("extracted");
		Path extractedJar = extracted.resolve(jar.getFileName());
		if (wanted.contains("cds") || wanted.contains("aot")) {
			exec(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
					extracted.toString()), work);
		}
		if (wanted.contains("cds")) {
			Path archive = work.resolve("plaid-sync.jsa");
			int training = exec(
					List.of(java(), "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
							extractedJar.toString(), "--server.port=0", "--management.server.port=0"),
					work, "PLAIDSYNC_DATA_DIR", work.resolve("training").toString());
			if (Files.isRegularFile(archive)) {
				variants.add(new Variant("extracted + CDS", java(), List.of("-XX:SharedArchiveFile=" + archive),
						extractedJar, List.of()));
			}
			else {
				System.out.printf(Locale.ROOT,
						"CDS: the training run exited %d and wrote no archive; CDS not measured%n", training);
			}
		}
		if (wanted.contains("lazy")) {
			variants.add(new Variant("lazy initialization", java(), List.of(), jar,
					List.of("--spring.main.lazy-initialization=true")));
		}
		if (wanted.contains("aot") && aotJava == null) {
			System.out.println("AOT cache: not measured; give COLD_START_AOT_JAVA=<a JDK 25+ bin/java> to measure it");
		}
		else if (wanted.contains("aot")) {
			// JDK 25's one-step training (JEP 514): the run records, and the JVM writes
			// the cache as it exits
			Path cache = work.resolve("plaid-sync.aot");
			int training = exec(
					List.of(aotJava, "-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh", "-jar",
							extractedJar.toString(), "--server.port=0", "--management.server.port=0"),
					work, "PLAIDSYNC_DATA_DIR", work.resolve("aot-training").toString());
			if (Files.isRegularFile(cache)) {
				variants.add(new Variant("JDK 25+ plain java -jar", aotJava, List.of(), jar, List.of()));
				variants.add(new Variant("JDK 25+ AOT cache", aotJava, List.of("-XX:AOTCache=" + cache), extractedJar,
						List.of()));
			}
			else {
				System.out.printf(Locale.ROOT, "AOT cache: the training run with %s exited %d and wrote no cache "
						+ "(JDK 25 or later needed); not measured%n", aotJava, training);
			}
		}
		List<double[]> medians = new ArrayList<>();
		for (Variant variant : variants) {
			List<Run> fresh = new ArrayList<>();
			List<Run> existing = new ArrayList<>();
			// the last fresh run's data directory is the existing one the next runs start
			// on
			Path kept = null;
			for (int i = 0; i < runs; i++) {
				Path freshDirectory = work.resolve(variant.name().replaceAll("\\W+", "-") + "-fresh-" + i);
				fresh.add(start(variant, freshDirectory, work));
				if (kept != null) {
					delete(kept);
				}
				kept = freshDirectory;
			}
			for (int i = 0; i < runs; i++) {
				existing.add(start(variant, kept, work));
			}
			double[] m = { median(fresh.stream().map(Run::healthySeconds).toList()),
					median(existing.stream().map(Run::healthySeconds).toList()),
					median(existing.stream().map(Run::exitSeconds).toList()) };
			medians.add(m);
			System.out.printf(Locale.ROOT,
					"%-24s fresh data dir: %5.1f s to healthy %s | existing: %5.1f s %s | SIGTERM to exit %4.1f s | under %.0f s: fresh %s, existing %s | load %s%n",
					variant.name(), m[0], seconds(fresh), m[1], seconds(existing), m[2], TARGET_SECONDS,
					m[0] < TARGET_SECONDS ? "yes" : "no", m[1] < TARGET_SECONDS ? "yes" : "no", loadAverage());
		}
		boolean plainFirst = variants.get(0).name().equals("plain java -jar");
		for (int v = 1; plainFirst && v < variants.size(); v++) {
			System.out.printf(Locale.ROOT, "%s ÷ plain: fresh %.2f, existing %.2f%n", variants.get(v).name(),
					medians.get(v)[0] / medians.get(0)[0], medians.get(v)[1] / medians.get(0)[1]);
		}
		if (variants.get(variants.size() - 1).name().equals("JDK 25+ AOT cache")) {
			int aotPlain = variants.size() - 2;
			System.out.printf(Locale.ROOT, "JDK 25+ AOT cache ÷ JDK 25+ plain: fresh %.2f, existing %.2f%n",
					medians.get(aotPlain + 1)[0] / medians.get(aotPlain)[0],
					medians.get(aotPlain + 1)[1] / medians.get(aotPlain)[1]);
		}
		System.out.printf(Locale.ROOT, "Load average at the end: %s%n", loadAverage());
		delete(work);
	}

	private static Run start(Variant variant, Path dataDirectory, Path work) throws Exception {
		int port = Benchmarks.freePort();
		List<String> command = new ArrayList<>(List.of(variant.java()));
		command.addAll(variant.javaArguments());
		command
			.addAll(List.of("-jar", variant.jar().toString(), "--server.port=" + port, "--management.server.port=0"));
		command.addAll(variant.appArguments());
		ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("engine.log").toFile());
		builder.environment().keySet().removeIf((name) -> name.startsWith("PLAID") || name.startsWith("SPRING_"));
		builder.environment().put("PLAIDSYNC_DATA_DIR", dataDirectory.toString());
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		long started = System.nanoTime();
		Process engine = builder.start();
		try {
			while (true) {
				if (!engine.isAlive()) {
					throw new IllegalStateException(variant.name() + " exited with " + engine.exitValue() + ":\n"
							+ Files.readString(work.resolve("engine.log")));
				}
				if (System.nanoTime() - started > HEALTHY_WITHIN.toNanos()) {
					throw new IllegalStateException(variant.name() + " was not healthy within " + HEALTHY_WITHIN);
				}
				try {
					HttpResponse<Void> health = http
						.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/readyz"))
							.timeout(Duration.ofSeconds(2))
							.build(), HttpResponse.BodyHandlers.discarding());
					if (health.statusCode() == 200) {
						break;
					}
				}
				catch (IOException notYet) {
					// still starting
				}
				Thread.sleep(50);
			}
			double healthy = (System.nanoTime() - started) / 1e9;
			long terminated = System.nanoTime();
			engine.destroy();
			if (!engine.waitFor(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException(variant.name() + " did not exit within 2 minutes of SIGTERM");
			}
			return new Run(healthy, (System.nanoTime() - terminated) / 1e9);
		}
		finally {
			if (engine.isAlive()) {
				engine.destroy();
				if (!engine.waitFor(2, TimeUnit.MINUTES)) {
					engine.destroyForcibly().waitFor();
				}
			}
		}
	}

	private static int exec(List<String> command, Path work, String... environment) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("prepare.log").toFile());
		builder.environment().keySet().removeIf((name) -> name.startsWith("PLAID") || name.startsWith("SPRING_"));
		for (int i = 0; i + 1 < environment.length; i += 2) {
			builder.environment().put(environment[i], environment[i + 1]);
		}
		Process process = builder.start();
		if (!process.waitFor(15, TimeUnit.MINUTES)) {
			process.destroyForcibly().waitFor();
			System.err.println("Did not finish in 15 minutes: " + String.join(" ", command));
			System.exit(1);
		}
		return process.exitValue();
	}

	private static String seconds(List<Run> runs) {
		return runs.stream().map((run) -> String.format(Locale.ROOT, "%.1f", run.healthySeconds())).toList().toString();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static void delete(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
