package dev.plaidsync.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.common.EmbeddedPostgresServer;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sustained intake of verified webhooks, driven by {@code wrk} over real HTTP against a
 * running engine whose embedded PostgreSQL commits synchronously (fsync on), as in
 * production; beside it, in the same run and the same database, the bare rate of the same
 * single-row insert from a JDBC loop with as many connections, one row per transaction.
 * It prints throughput, p50/p99 latency, that insert rate, and their ratio.
 * <p>
 * Every request is a distinct body, pre-signed by the engine's simulator exactly as Plaid
 * signs (ES256, {@code iat}, the body's SHA-256), so each one goes through the whole
 * verification, is stored, and is answered 200. Dispatch is deferred (its delay and the
 * claimer's wait are an hour), so the figures are intake's, not the sync jobs' the events
 * would launch.
 * <p>
 * Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.main=dev.plaidsync.bench.WebhookIntakeBenchmark}
 * ({@code -Dbench.size=tiny}: 2 s of warm-up and 3 s of load). Fails (exit 1) when any
 * request is not answered 200 or not stored. Needs {@code wrk}
 * ({@code apt-get install -y wrk}). Optional environment: {@code WEBHOOK_BENCH_SECONDS}
 * (default 20), {@code WEBHOOK_BENCH_CONNECTIONS} (default 8, also the intake pool's size
 * and the insert loop's connections).
 */
public final class WebhookIntakeBenchmark {

	private static final int ITEMS = 100;

	private static final int WARMUP_SECONDS = 8;

	private static final Pattern RESULT = Pattern.compile("RESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) "
			+ "p99_us=(\\d+) max_us=(\\d+) non200=(\\d+) socket_errors=(\\d+)");

	/** The intake's insert (IntakeStore), with the same join to find the item's owner. */
	private static final String INSERT = """
			INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, raw_webhook_data,
			    status, status_reason, success, error_message, processed_at, processing_duration_ms,
			    environment, verification, verification_key_id, body_sha256)
			SELECT ?, ?, ?, i.user_id, CAST(? AS jsonb),
			    CASE WHEN i.user_id IS NULL THEN 'UNKNOWN_ITEM' ELSE 'RECEIVED' END,
			    CASE WHEN i.user_id IS NULL THEN 'no item is linked' END,
			    CASE WHEN i.user_id IS NULL THEN false END, NULL, NULL, NULL,
			    'sandbox', 'VERIFIED', 'bench', ?
			FROM (SELECT 1) AS one LEFT JOIN item_owners i ON i.item_id = ?
			RETURNING id, status
			""";

	private WebhookIntakeBenchmark() {
	}

	public static void main(String[] args) {
		Benchmarks.run("Webhook intake benchmark", WebhookIntakeBenchmark::measure);
	}

	private static void measure() throws Exception {
		int seconds = Benchmarks.tiny() ? 3 : intFromEnvironment("WEBHOOK_BENCH_SECONDS", 20);
		int warmupSeconds = Benchmarks.tiny() ? 2 : WARMUP_SECONDS;
		int connections = intFromEnvironment("WEBHOOK_BENCH_CONNECTIONS", 8);
		String wrk = requireWrk();
		Path work = Files.createTempDirectory("bench-webhooks-");
		try (EmbeddedPostgresServer database = EmbeddedPostgresServer.start(work.resolve("postgres"))) {
			String url = database.jdbcUrl("postgres");
			try (ConfigurableApplicationContext engine = engine(url, connections)) {
				String base = "http://localhost:" + engine.getEnvironment().getProperty("local.server.port");
				UUID user = engine.getBean(Users.class).idFor("bench-webhooks");
				List<String> items = TestItems.create(engine, user, ITEMS, "ins_900001", "bench-webhooks");
				PlaidSimulator simulator = engine.getBean(PlaidSimulator.class);
				Path script = work.resolve("webhooks.lua");
				Files.writeString(script, LUA, StandardCharsets.UTF_8);
				System.out.printf(
						"Webhook intake benchmark: %d cores (load average %.1f at start), wrk with %d connections "
								+ "for %d s, %d items, PostgreSQL with synchronous_commit=on and fsync=on%n",
						Runtime.getRuntime().availableProcessors(),
						ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), connections, seconds,
						ITEMS);

				// enough distinct bodies for the run at well above the rate this machine
				// reaches; each signed just before
				int planned = Benchmarks.tiny() ? seconds * 3_000 : Math.max(20_000, seconds * 3_000);
				wrk(wrk, script, sign(simulator, items, "warmup", warmupSeconds * 3_000, work.resolve("warmup.txt")),
						base, connections, warmupSeconds);
				JdbcClient jdbc = engine.getBean(JdbcClient.class);
				long storedBefore = stored(jdbc);
				Path requests = sign(simulator, items, "run", planned, work.resolve("run.txt"));
				Result intake = wrk(wrk, script, requests, base, connections, seconds);
				long stored = stored(jdbc) - storedBefore;
				double intakeRate = intake.requests() / intake.seconds();
				System.out.printf(
						"1. intake: %d requests in %.1f s = %.0f webhooks/s; p50 %.2f ms, p99 %.2f ms, max %.1f ms; "
								+ "%d answered other than 200, %d socket errors; %d events stored%s%n",
						intake.requests(), intake.seconds(), intakeRate, intake.p50Micros() / 1000.0,
						intake.p99Micros() / 1000.0, intake.maxMicros() / 1000.0, intake.non200(),
						intake.socketErrors(), stored, intake.requests() > planned
								? " (more requests than pre-signed bodies: some bodies were sent twice)" : "");

				double insertRate = bareInserts(url, items, connections, seconds);
				System.out
					.printf("2. bare insert: the same single-row INSERT, one per transaction, %d JDBC connections, "
							+ "%d s: %.0f rows/s%n", connections, seconds, insertRate);
				System.out.printf("3. intake ÷ bare insert = %.2f  (%d cores, load average %.1f at the end)%n",
						intakeRate / insertRate, Runtime.getRuntime().availableProcessors(),
						ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
				Benchmarks.check(intake.requests() > 0, "wrk sent no request");
				Benchmarks.check(intake.non200() == 0 && intake.socketErrors() == 0 && stored >= intake.requests(),
						"Some requests were not answered 200 or not stored: see above");
			}
		}
	}

	private static ConfigurableApplicationContext engine(String url, int connections) {
		return new SpringApplicationBuilder(PlaidSyncApplication.class).run("--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--spring.datasource.password=", "--server.port=0",
				"--plaid.env=simulator", "--management.server.port=0",
				"--plaidsync.token.key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "--plaidsync.ops.token=bench",
				"--plaidsync.demo.users=0", "--plaidsync.sync.schedules.holdings=-",
				"--plaidsync.sync.schedules.balances=-", "--plaidsync.sync.schedules.transactions=-",
				"--plaidsync.sync.schedules.reconcile=-", "--plaidsync.sync.schedules.item-check=-",
				"--plaidsync.simulator.latency=0ms", "--plaidsync.simulator.latency-jitter=0ms",
				"--plaidsync.webhooks.intake.pool-size=" + connections, "--plaidsync.webhooks.dispatch.delay=1h",
				"--plaidsync.webhooks.dispatch.claim-after=1h", "--logging.level.root=warn",
				"--logging.level.dev.plaidsync=warn");
	}

	/**
	 * Writes {@code count} distinct signed webhooks: per record, the
	 * {@code Plaid-Verification} JWT on one line and the body (2-space indented, as Plaid
	 * writes it) on the next, its newlines replaced by the record separator 0x1E.
	 */
	private static Path sign(PlaidSimulator simulator, List<String> items, String label, int count, Path file)
			throws IOException {
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (int n = 0; n < count; n++) {
				byte[] body = body(items.get(n % items.size()), label, n);
				out.write(simulator.signWebhook(body).verification());
				out.write('\n');
				out.write(new String(body, StandardCharsets.UTF_8).replace('\n', '\u001e'));
				out.write('\n');
			}
		}
		return file;
	}

	private static byte[] body(String itemId, String label, int n) {
		return ("{\n  \"environment\": \"sandbox\",\n  \"error\": null,\n  \"item_id\": \"" + itemId
				+ "\",\n  \"new_holdings\": " + n + ",\n  \"updated_holdings\": " + label.length()
				+ ",\n  \"webhook_code\": \"DEFAULT_UPDATE\",\n  \"webhook_type\": \"HOLDINGS\"\n}")
			.getBytes(StandardCharsets.UTF_8);
	}

	private static Result wrk(String wrk, Path script, Path requests, String base, int connections, int seconds)
			throws Exception {
		int threads = Math.min(2, connections);
		Process process = new ProcessBuilder(wrk, "-t", String.valueOf(threads), "-c", String.valueOf(connections),
				"-d", seconds + "s", "--timeout", "10s", "-s", script.toString(), base + "/webhook/plaid", "--",
				requests.toString(), String.valueOf(threads))
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("wrk failed:\n" + output);
		}
		Matcher result = RESULT.matcher(output);
		if (!result.find()) {
			throw new IllegalStateException("wrk printed no result:\n" + output);
		}
		return new Result(Long.parseLong(result.group(1)), Long.parseLong(result.group(2)) / 1e6,
				Long.parseLong(result.group(3)), Long.parseLong(result.group(4)), Long.parseLong(result.group(5)),
				Long.parseLong(result.group(6)), Long.parseLong(result.group(7)));
	}

	/**
	 * The intake's INSERT from a plain JDBC loop: {@code connections} threads,
	 * autocommit, one row a transaction.
	 */
	private static double bareInserts(String url, List<String> items, int connections, int seconds) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(connections);
		long deadline = System.nanoTime() + seconds * 1_000_000_000L;
		long started = System.nanoTime();
		List<Future<Long>> counts = new ArrayList<>();
		for (int t = 0; t < connections; t++) {
			int thread = t;
			counts.add(threads.submit(() -> {
				long rows = 0;
				try (Connection connection = DriverManager.getConnection(url, "postgres", "");
						PreparedStatement insert = connection.prepareStatement(INSERT)) {
					connection.setAutoCommit(true);
					while (System.nanoTime() < deadline) {
						String itemId = items.get((int) (rows % items.size()));
						byte[] body = body(itemId, "bare-" + thread, (int) rows);
						insert.setString(1, "HOLDINGS");
						insert.setString(2, "DEFAULT_UPDATE");
						insert.setString(3, itemId);
						insert.setString(4, new String(body, StandardCharsets.UTF_8));
						insert.setString(5, UUID.randomUUID().toString());
						insert.setString(6, itemId);
						try (ResultSet returned = insert.executeQuery()) {
							returned.next();
						}
						rows++;
					}
				}
				return rows;
			}));
		}
		long rows = 0;
		for (Future<Long> count : counts) {
			rows += count.get();
		}
		double elapsed = (System.nanoTime() - started) / 1e9;
		threads.shutdown();
		return rows / elapsed;
	}

	private static long stored(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM plaid_webhook_events WHERE verification_key_id <> 'bench'")
			.query(Long.class)
			.single();
	}

	private static String requireWrk() {
		for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
			Path candidate = Path.of(directory, "wrk");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		throw new IllegalStateException("This benchmark drives the engine with wrk, which is not installed. Install it "
				+ "with `apt-get install -y wrk` (Debian/Ubuntu), then run it again.");
	}

	private static int intFromEnvironment(String name, int fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : Integer.parseInt(value.trim());
	}

	private record Result(long requests, double seconds, long p50Micros, long p99Micros, long maxMicros, long non200,
			long socketErrors) {
	}

	/**
	 * Each wrk thread loads its share of the pre-signed records (every n-th, so threads
	 * never send the same body) and cycles through it; non-200 answers are counted per
	 * thread; {@code done} prints one machine-readable line.
	 */
	private static final String LUA = """
			local threads = {}
			local counter = 0

			function setup(thread)
			  thread:set("id", counter)
			  counter = counter + 1
			  table.insert(threads, thread)
			end

			function init(args)
			  local nthreads = tonumber(args[2])
			  requests = {}
			  non200 = 0
			  local file = assert(io.open(args[1], "r"))
			  local k = 0
			  while true do
			    local jwt = file:read("*l")
			    if not jwt then break end
			    local body = file:read("*l")
			    if k % nthreads == id then
			      body = body:gsub("\\30", "\\n")
			      requests[#requests + 1] = wrk.format("POST", nil,
			        { ["Content-Type"] = "application/json", ["Plaid-Verification"] = jwt }, body)
			    end
			    k = k + 1
			  end
			  file:close()
			  index = 0
			end

			function request()
			  index = index + 1
			  if index > #requests then index = 1 end
			  return requests[index]
			end

			function response(status, headers, body)
			  if status ~= 200 then non200 = non200 + 1 end
			end

			function done(summary, latency, requests)
			  local bad = 0
			  for _, thread in ipairs(threads) do bad = bad + thread:get("non200") end
			  local e = summary.errors
			  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d non200=%d socket_errors=%d\\n",
			    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max, bad,
			    e.connect + e.read + e.write + e.timeout))
			end
			""";

}
