package dev.plaidsync.operations;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.testsupport.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: the operator API cannot be reached by spelling its path differently. Every
 * spelling below is sent byte for byte over a socket, without a token: percent-encoded
 * letters in each segment (upper- and lower-case hex), whole segments encoded in mixed
 * case, path parameters, dot segments (plain and encoded), doubled and trailing slashes,
 * and encoded slashes. None reaches a controller: the answer is 400 (the firewall), 401
 * (the operators' chain) or 404 (the catch-all), and a POST launches nothing and writes
 * no audit row.
 */
@EngineIntegrationTest
class OpsPathSpellingIntegrationTests {

	private static final String TOKEN = "test-ops-token";

	@LocalServerPort
	int port;

	@Value("${local.management.port}")
	int managementPort;

	@Autowired
	JdbcClient jdbc;

	static Stream<Arguments> spellings() {
		List<Arguments> all = new ArrayList<>();
		for (String path : List.of("/ops/jobs", "/ops/executions", "/ops/audit", "/ops/items/attention")) {
			spell(path).forEach((spelling) -> all.add(Arguments.of("GET", spelling)));
		}
		for (String path : List.of("/ops/jobs/holdingsSyncJob/launch", "/ops/webhook-url",
				"/ops/items/item-x/remove")) {
			spell(path).forEach((spelling) -> all.add(Arguments.of("POST", spelling)));
		}
		return all.stream();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("spellings")
	void noSpellingOfAnOperatorPathReachesAControllerWithoutTheToken(String method, String spelling) {
		long audits = count("ops_audit");
		long requests = count("sync_requests");
		long executions = count("batch_job_execution");

		RawHttp.Response answer = RawHttp.send(this.port, method, spelling, Map.of(),
				"POST".equals(method) ? "{\"scope\":\"ALL\",\"url\":\"https://evil.example/webhook/plaid\"}" : null);

		assertThat(answer.status()).as("%s %s: %s", method, spelling, answer.body()).isIn(400, 401, 404);
		assertThat(answer.body()).doesNotContain("Exception")
			.doesNotContain("lastExecution")
			.doesNotContain("jobExecutionId");
		assertThat(count("ops_audit")).as("audit rows after %s %s", method, spelling).isEqualTo(audits);
		assertThat(count("sync_requests")).isEqualTo(requests);
		assertThat(count("batch_job_execution")).isEqualTo(executions);
	}

	@Test
	void aPercentEncodedSpellingIsTheSameRouteToSpringSecurityAsToSpringMvc() {
		for (String spelling : List.of("/%6Fps/jobs", "/%6fps/jobs", "/o%70s/j%6Fbs", "/%6F%70%73/%6a%6F%62%73")) {
			RawHttp.Response without = RawHttp.send(this.port, "GET", spelling, Map.of(), null);
			assertThat(without.status()).as(spelling).isEqualTo(401);
			RawHttp.Response with = RawHttp.send(this.port, "GET", spelling, Map.of("Authorization", "Bearer " + TOKEN),
					null);
			assertThat(with.status()).as(spelling).isEqualTo(200);
			assertThat(with.body()).contains("holdingsSyncJob");
		}
	}

	@Test
	void aWrongOrMalformedTokenIsRefusedAndTheConsolePageLoadsWithoutOne() {
		for (String authorization : List.of("Bearer wrong", "Bearer " + TOKEN + "x", "Bearer", "Basic dGVzdA==",
				"bearer  ", "Bearer " + TOKEN.substring(1))) {
			RawHttp.Response answer = RawHttp.send(this.port, "GET", "/ops/jobs",
					Map.of("Authorization", authorization), null);
			assertThat(answer.status()).as(authorization).isEqualTo(401);
			assertThat(answer.body()).contains("\"error\"");
		}
		assertThat(RawHttp.send(this.port, "GET", "/ops/", Map.of(), null).status()).isEqualTo(200);
		assertThat(RawHttp.send(this.port, "GET", "/ops/console.js", Map.of(), null).status()).isEqualTo(200);
		assertThat(RawHttp.send(this.port, "POST", "/ops/console.js", Map.of(), "{}").status()).isEqualTo(401);
		assertThat(
				RawHttp.send(this.port, "GET", "/ops/jobs", Map.of("Authorization", "Bearer " + TOKEN), null).status())
			.isEqualTo(200);
	}

	@Test
	void theCatchAllChainDeniesWhatItDoesNotList() {
		for (String path : List.of("/OPS/jobs", "/Ops/jobs", "/error", "/actuator/prometheus", "/actuator/metrics",
				"/actuator/env", "/nothing-here", "/api2/portfolio", "/webhook/plaid/other")) {
			RawHttp.Response answer = RawHttp.send(this.port, "GET", path, Map.of(), null);
			assertThat(answer.status()).as(path).isIn(400, 401, 404);
			assertThat(answer.body()).as(path).doesNotContain("Exception").doesNotContain("trace");
		}
		assertThat(RawHttp.send(this.port, "GET", "/webhook/plaid/health", Map.of(), null).status()).isEqualTo(200);
		assertThat(RawHttp.send(this.port, "GET", "/livez", Map.of(), null).status()).isEqualTo(200);
		assertThat(RawHttp.send(this.port, "GET", "/readyz", Map.of(), null).status()).isEqualTo(200);
		// simulator mode: the simulator is public, as Plaid's API would be to the engine
		assertThat(RawHttp.send(this.port, "GET", "/simulator/control/settings", Map.of(), null).status())
			.isEqualTo(200);
	}

	@Test
	void theApplicationPortsProbesAreStatusOnlyAndHealthDetailsAndMetricsLiveOnTheManagementPort() {
		RawHttp.Response readiness = RawHttp.send(this.port, "GET", "/readyz", Map.of(), null);
		assertThat(readiness.body()).contains("{\"status\":\"UP\"}")
			.doesNotContain("components")
			.doesNotContain("details");
		RawHttp.Response health = RawHttp.send(this.managementPort, "GET", "/actuator/health", Map.of(), null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"", "\"db\"", "PostgreSQL", "\"jobRuntime\"");
		RawHttp.Response prometheus = RawHttp.send(this.managementPort, "GET", "/actuator/prometheus", Map.of(), null);
		assertThat(prometheus.status()).isEqualTo(200);
		assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
		assertThat(RawHttp.send(this.port, "GET", "/actuator/prometheus", Map.of(), null).status()).isEqualTo(404);
		assertThat(RawHttp.send(this.managementPort, "GET", "/ops/jobs", Map.of(), null).status()).isIn(401, 404);
	}

	@Test
	void anErrorAnsweredToAnAnonymousCallerCarriesNoExceptionMessage() {
		RawHttp.Response answer = RawHttp.send(this.port, "POST", "/simulator/plaid/investments/holdings/get", Map.of(),
				"{\"access_token\": [");
		assertThat(answer.status()).isBetween(400, 499);
		assertThat(answer.body()).doesNotContain("Exception")
			.doesNotContain("JSON parse error")
			.doesNotContain("at [Source");
	}

	private long count(String table) {
		return this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

	/**
	 * Every spelling of {@code path} this test knows, each a different way to write the
	 * same or a nearby route.
	 */
	static Set<String> spell(String path) {
		String[] segments = path.substring(1).split("/");
		Set<String> spellings = new LinkedHashSet<>();
		for (int i = 0; i < segments.length; i++) {
			String segment = segments[i];
			spellings.add(replace(segments, i, "%" + hex(segment.charAt(0), true) + segment.substring(1)));
			spellings.add(replace(segments, i, "%" + hex(segment.charAt(0), false) + segment.substring(1)));
			spellings.add(replace(segments, i, mixedCaseEncoding(segment)));
			spellings.add(replace(segments, i, segment + ";x=1"));
			spellings.add(replace(segments, i, segment + ";"));
			spellings.add(replace(segments, i, "." + "/" + segment));
			spellings.add(replace(segments, i, "x/../" + segment));
			spellings.add(replace(segments, i, "%2e/" + segment));
			spellings.add(replace(segments, i, "x/%2E%2E/" + segment));
			spellings.add(replace(segments, i, "/" + segment));
			if (i > 0) {
				spellings.add(path.replaceFirst("/" + segment, "%2F" + segment));
				spellings.add(path.replaceFirst("/" + segment, "%2f" + segment));
			}
		}
		spellings.add(path + "/");
		spellings.add(path + "//");
		spellings.add(path + "%2F");
		spellings.add(path + "/.");
		spellings.add(path.toUpperCase(java.util.Locale.ROOT));
		spellings.add("/" + path.substring(1).replace("ops", "OPS"));
		spellings.add(path.replace("/", "\\"));
		return spellings;
	}

	private static String replace(String[] segments, int index, String replacement) {
		StringBuilder path = new StringBuilder();
		for (int i = 0; i < segments.length; i++) {
			path.append('/').append((i == index) ? replacement : segments[i]);
		}
		return path.toString();
	}

	private static String mixedCaseEncoding(String segment) {
		StringBuilder encoded = new StringBuilder();
		for (int i = 0; i < segment.length(); i++) {
			encoded.append('%').append(hex(segment.charAt(i), i % 2 == 0));
		}
		return encoded.toString();
	}

	private static String hex(char c, boolean upper) {
		String hex = String.format("%02x", (int) c);
		return upper ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
	}

}
