package dev.plaidsync.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import com.plaid.client.model.JWKPublicKey;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.common.EmbeddedPostgresServer;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidGateway;
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
 * In the same run and the same JVM it measures intake's ceiling: the same ES256
 * verification (parse the {@code Plaid-Verification} JWT, verify its signature with the
 * same key) in a tight loop on as many threads as wrk has connections, just before and
 * just after the intake phase; it prints intake ÷ the mean of the two. At full size the
 * run fails (exit 1) when that ratio is under 0.5 or the p99 is 100 ms or more; at
 * {@code -Dbench.size=tiny} (CI) the figures are printed and only errors fail it.
 * <p>
 * Every request is a distinct body, pre-signed by the engine's simulator exactly as Plaid
 * signs (ES256, {@code iat}, the body's SHA-256), so each one goes through the whole
 * verification, is stored, and is answered 200. Dispatch is deferred (its delay and the
 * claimer's wait are an hour), so the figures are intake's, not the sync jobs' the events
 * would launch.
 * <p>
 * Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.main=dev.plaidsync.bench.WebhookIntakeBenchmark}
 * ({@code -Dbench.size=tiny}: 2 s of warm-up and 3 s of load; full size: 20 s and 20 s).
 * Fails (exit 1) when any request is not answered 200 or not stored. Needs {@code wrk}
 * ({@code apt-get install -y wrk}). Optional environment: {@code WEBHOOK_BENCH_SECONDS}
 * (default 20), {@code WEBHOOK_BENCH_CONNECTIONS} (default 8, also the intake pool's size
 * and the insert loop's connections).
 */
public final class WebhookIntakeBenchmark {

	private static final int ITEMS = 100;

	/**
	 * Long enough on a shared 2-core machine for the JIT to have compiled the request
	 * path (measured: with 8 s, C2 still spent 0.85 ms of CPU per webhook during the
	 * measured phase).
	 */
	private static final int WARMUP_SECONDS = 20;

	/** Targets at full size: intake at least half its verification ceiling... */
	private static final double MIN_OF_CEILING = 0.5;

	/** ...with a p99 under 100 ms. */
	private static final double MAX_P99_MILLIS = 100;

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
				Path warmup = sign(simulator, items, "warmup", warmupSeconds * 1_500, work.resolve("warmup.txt"));
				Path requests = sign(simulator, items, "run", planned, work.resolve("run.txt"));
				wrk(wrk, script, warmup, base, connections, warmupSeconds);
				List<String> tokens = tokens(warmup);
				ECDSAVerifier verifier = verifierFor(engine.getBean(PlaidGateway.class), tokens.get(0));
				int ceilingSeconds = Math.max(2, seconds / 2);
				verificationCeiling(tokens, verifier, connections, Benchmarks.tiny() ? 1 : 3);
				double ceilingBefore = verificationCeiling(tokens, verifier, connections, ceilingSeconds);
				JdbcClient jdbc = engine.getBean(JdbcClient.class);
				long storedBefore = stored(jdbc);
				CpuTime cpu = new CpuTime(postmasterPid(jdbc));
				Map<String, Double> threadsBefore = cpu.byThread();
				CpuTime.Sample cpuBefore = cpu.sample();
				Result intake = wrk(wrk, script, requests, base, connections, seconds);
				CpuTime.Sample cpuUsed = cpu.sample().minus(cpuBefore);
				Map<String, Double> threadsAfter = cpu.byThread();
				threadsAfter
					.forEach((name, used) -> threadsAfter.put(name, used - threadsBefore.getOrDefault(name, 0.0)));
				long stored = stored(jdbc) - storedBefore;
				double ceilingAfter = verificationCeiling(tokens, verifier, connections, ceilingSeconds);
				double ceiling = (ceilingBefore + ceilingAfter) / 2;
				double intakeRate = intake.requests() / intake.seconds();
				double p99Millis = intake.p99Micros() / 1000.0;
				System.out.printf(
						"1. intake: %d requests in %.1f s = %.0f webhooks/s; p50 %.2f ms, p99 %.2f ms, max %.1f ms; "
								+ "%d answered other than 200, %d socket errors; %d events stored%s%n",
						intake.requests(), intake.seconds(), intakeRate, intake.p50Micros() / 1000.0, p99Millis,
						intake.maxMicros() / 1000.0, intake.non200(), intake.socketErrors(), stored,
						intake.requests() > planned
								? " (more requests than pre-signed bodies: some bodies were sent twice)" : "");
				System.out.printf(
						"2. ES256 ceiling: the same verification (parse the JWT, verify ES256 with the same key), %d "
								+ "threads in a tight loop, %d s before and %d s after intake: %.0f and %.0f "
								+ "verifications/s, mean %.0f%n",
						connections, ceilingSeconds, ceilingSeconds, ceilingBefore, ceilingAfter, ceiling);

				System.out.printf(
						"   CPU during intake, ms per webhook: engine %.3f (its request threads %.3f), PostgreSQL %.3f, "
								+ "wrk %.3f, the rest of the machine %.3f; idle %.1f of %d cores%n",
						1000 * cpuUsed.engine() / intake.requests(),
						1000 * cpuUsed.requestThreads() / intake.requests(),
						1000 * cpuUsed.postgres() / intake.requests(), 1000 * cpuUsed.children() / intake.requests(),
						1000 * (cpuUsed.machineBusy() - cpuUsed.engine() - cpuUsed.postgres() - cpuUsed.children())
								/ intake.requests(),
						cpuUsed.machineIdle() / intake.seconds(), Runtime.getRuntime().availableProcessors());
				System.out.println("   engine threads, ms per webhook: " + threadsAfter.entrySet()
					.stream()
					.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
					.limit(6)
					.map((entry) -> String.format("%s %.3f", entry.getKey(),
							1000 * entry.getValue() / intake.requests()))
					.toList());
				double insertRate = bareInserts(url, items, connections, seconds);
				System.out
					.printf("3. bare insert: the same single-row INSERT, one per transaction, %d JDBC connections, "
							+ "%d s: %.0f rows/s%n", connections, seconds, insertRate);
				double ofCeiling = intakeRate / ceiling;
				System.out.printf(
						"4. intake ÷ ES256 ceiling = %.2f (target ≥ %.2f), p99 %.1f ms (target < %.0f ms); "
								+ "intake ÷ bare insert = %.2f  (%d cores, load average %.1f at the end)%n",
						ofCeiling, MIN_OF_CEILING, p99Millis, MAX_P99_MILLIS, intakeRate / insertRate,
						Runtime.getRuntime().availableProcessors(),
						ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
				Benchmarks.check(intake.requests() > 0, "wrk sent no request");
				Benchmarks.check(ceiling > 0, "The ES256 ceiling was not measured");
				Benchmarks.check(intake.non200() == 0 && intake.socketErrors() == 0 && stored >= intake.requests(),
						"Some requests were not answered 200 or not stored: see above");
				List<String> missed = new ArrayList<>();
				if (ofCeiling < MIN_OF_CEILING) {
					missed.add(String.format("intake ÷ ES256 ceiling %.2f < %.2f", ofCeiling, MIN_OF_CEILING));
				}
				if (p99Millis >= MAX_P99_MILLIS) {
					missed.add(String.format("p99 %.1f ms ≥ %.0f ms", p99Millis, MAX_P99_MILLIS));
				}
				if (Benchmarks.tiny()) {
					System.out.println("Tiny run: every figure was measured; targets are judged at full size"
							+ (missed.isEmpty() ? "" : " (missed at this size: " + missed + ")"));
				}
				else {
					Benchmarks.check(missed.isEmpty(), "Targets missed: " + missed);
					System.out.println("Every target met");
				}
			}
		}
	}

	/** The {@code Plaid-Verification} JWTs of a file {@link #sign} wrote. */
	private static List<String> tokens(Path signed) throws IOException {
		List<String> lines = Files.readAllLines(signed, StandardCharsets.UTF_8);
		List<String> tokens = new ArrayList<>(lines.size() / 2);
		for (int n = 0; n < lines.size(); n += 2) {
			tokens.add(lines.get(n));
		}
		return tokens;
	}

	/**
	 * A verifier for the key the tokens are signed under, fetched as the engine fetches
	 * it (Plaid's {@code /webhook_verification_key/get}, here the simulator's).
	 */
	private static ECDSAVerifier verifierFor(PlaidGateway plaid, String token) throws Exception {
		String kid = SignedJWT.parse(token).getHeader().getKeyID();
		JWKPublicKey jwk = plaid.webhookVerificationKey(kid);
		ECKey key = ECKey.parse(Map.of("kty", "EC", "crv", Curve.P_256.getName(), "x", jwk.getX(), "y", jwk.getY()));
		return new ECDSAVerifier(key);
	}

	/**
	 * ES256 verifications per second over {@code threads} threads for {@code seconds}:
	 * each parses a pre-signed {@code Plaid-Verification} JWT and verifies its signature,
	 * the work no intake can avoid. A signature that does not verify fails the run.
	 */
	private static double verificationCeiling(List<String> tokens, ECDSAVerifier verifier, int threads, int seconds)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			long started = System.nanoTime();
			long deadline = started + seconds * 1_000_000_000L;
			List<Future<Long>> counts = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int first = t;
				counts.add(pool.submit(() -> {
					long verified = 0;
					for (int n = first; System.nanoTime() < deadline; n += threads) {
						if (!SignedJWT.parse(tokens.get(n % tokens.size())).verify(verifier)) {
							throw new IllegalStateException("A pre-signed webhook's signature did not verify");
						}
						verified++;
					}
					return verified;
				}));
			}
			long verified = 0;
			for (Future<Long> count : counts) {
				verified += count.get();
			}
			return verified / ((System.nanoTime() - started) / 1e9);
		}
		finally {
			pool.shutdown();
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

	private static long postmasterPid(JdbcClient jdbc) throws IOException {
		String dataDirectory = jdbc.sql("SHOW data_directory").query(String.class).single();
		return Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).strip());
	}

	/**
	 * CPU seconds (user + system): this JVM's (the engine's) and its Tomcat request
	 * threads'; this JVM's reaped children's (wrk, once it has been waited for);
	 * PostgreSQL's (its main process, its live children, and those it reaped); and the
	 * whole machine's busy and idle time, from {@code /proc}.
	 */
	private static final class CpuTime {

		private final long postmaster;

		private final double ticksPerSecond;

		CpuTime(long postmaster) throws Exception {
			this.postmaster = postmaster;
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
			String ticks = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
			getconf.waitFor();
			this.ticksPerSecond = ticks.isEmpty() ? 100 : Double.parseDouble(ticks);
		}

		record Sample(double engine, double requestThreads, double children, double postgres, double machineBusy,
				double machineIdle) {

			Sample minus(Sample before) {
				return new Sample(this.engine - before.engine, this.requestThreads - before.requestThreads,
						this.children - before.children, this.postgres - before.postgres,
						this.machineBusy - before.machineBusy, this.machineIdle - before.machineIdle);
			}

		}

		Sample sample() throws IOException {
			long self = ProcessHandle.current().pid();
			double postgres = ticks(this.postmaster, 11, 4) + ProcessHandle.of(this.postmaster)
				.map((server) -> server.descendants().mapToDouble((child) -> ticks(child.pid(), 11, 2)).sum())
				.orElse(0.0);
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			double requestThreads = 0;
			for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
				if (thread != null && thread.getThreadName().matches("http-nio-.*-exec-\\d+")) {
					requestThreads += Math.max(0, threads.getThreadCpuTime(thread.getThreadId())) / 1e9;
				}
			}
			// the first line of /proc/stat: user nice system idle iowait irq softirq
			// steal
			String[] machine = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			double busy = 0;
			for (int field = 1; field <= 8; field++) {
				busy += (field == 4 || field == 5) ? 0 : Long.parseLong(machine[field]);
			}
			double idle = Long.parseLong(machine[4]) + Long.parseLong(machine[5]);
			return new Sample(ticks(self, 11, 2) / this.ticksPerSecond, requestThreads,
					ticks(self, 13, 2) / this.ticksPerSecond, postgres / this.ticksPerSecond,
					busy / this.ticksPerSecond, idle / this.ticksPerSecond);
		}

		/**
		 * CPU seconds per thread of this JVM as the kernel names them (GC and compiler
		 * threads included), their numbers replaced by N, from
		 * {@code /proc/self/task/<tid>/stat}.
		 */
		Map<String, Double> byThread() throws IOException {
			Map<String, Double> used = new java.util.TreeMap<>();
			try (var tasks = Files.list(Path.of("/proc/self/task"))) {
				for (Path task : tasks.toList()) {
					try {
						String stat = Files.readString(task.resolve("stat"));
						String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
							.replaceAll("\\d+", "N");
						String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
						used.merge(name,
								(Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / this.ticksPerSecond,
								Double::sum);
					}
					catch (IOException ended) {
						// the thread ended between the listing and the read
					}
				}
			}
			return used;
		}

		/**
		 * The sum of {@code count} fields from {@code first} (0 is the state) of
		 * {@code /proc/<pid>/stat}: utime is 11, stime 12, cutime 13, cstime 14.
		 */
		private static double ticks(long pid, int first, int count) {
			try {
				String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				long ticks = 0;
				for (int field = first; field < first + count; field++) {
					ticks += Long.parseLong(fields[field]);
				}
				return ticks;
			}
			catch (IOException | RuntimeException gone) {
				return 0;
			}
		}

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
