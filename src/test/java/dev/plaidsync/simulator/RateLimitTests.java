package dev.plaidsync.simulator;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RateLimitTests {

	private static RunningSimulator sim;

	@BeforeAll
	static void start() {
		sim = RunningSimulator.start("--plaidsync.simulator.limits.holdings-per-client=5");
	}

	@AfterAll
	static void stop() {
		sim.close();
	}

	@Test
	void theSixthCallInAMinuteAnswersPlaids429() {
		LinkedItem first = sim.simulator().createItem("ins_900001", "user_limits_1", null);
		LinkedItem second = sim.simulator().createItem("ins_900001", "user_limits_2", null);
		for (int i = 0; i < 5; i++) {
			LinkedItem item = i % 2 == 0 ? first : second;
			assertThat(sim.plaid("/investments/holdings/get", Map.of("access_token", item.accessToken())).status())
				.isEqualTo(200);
		}
		RunningSimulator.Answer sixth = sim.plaid("/investments/holdings/get",
				Map.of("access_token", first.accessToken()));
		assertThat(sixth.status()).isEqualTo(429);
		assertThat(sixth.body().path("error_type").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
		assertThat(sixth.body().path("error_code").asString()).isEqualTo("INVESTMENT_HOLDINGS_GET_LIMIT");
		assertThat(PlaidSpec.get().validate("PlaidError", sixth.body())).isEmpty();

		RunningSimulator.Answer otherClient = sim.plaid("/investments/holdings/get",
				Map.of("access_token", first.accessToken(), "client_id", "another-client"));
		assertThat(otherClient.status()).isEqualTo(200);

		JsonNode stats = sim.control().stats();
		assertThat(stats.path("rate_limit_rejections").path("/investments/holdings/get").asLong()).isEqualTo(1);
		assertThat(stats.path("calls_per_endpoint").path("/investments/holdings/get").asLong()).isEqualTo(7);
		assertThat(stats.path("calls_per_endpoint_per_item")
			.path("/investments/holdings/get")
			.path(first.itemId())
			.asLong()).isEqualTo(5);
	}

	@Test
	void perItemLimitsApplyPerItem() {
		LinkedItem item = sim.simulator().createItem("ins_900002", "user_balance", null);
		for (int i = 0; i < 5; i++) {
			assertThat(sim
				.plaid("/accounts/balance/get",
						Map.of("access_token", item.accessToken(), "client_id", "balance-client"))
				.status()).isEqualTo(200);
		}
		RunningSimulator.Answer sixth = sim.plaid("/accounts/balance/get",
				Map.of("access_token", item.accessToken(), "client_id", "balance-client"));
		assertThat(sixth.status()).isEqualTo(429);
		assertThat(sixth.body().path("error_code").asString()).isEqualTo("BALANCE_LIMIT");
		assertThat(sixth.body().path("error_message").asString()).contains("this item");
	}

	@Test
	void aShortenedWindowCountsTheLimitOverItAndThenAdmitsAgain() {
		try (RunningSimulator shortWindow = RunningSimulator.start("--plaidsync.simulator.limits.holdings-per-client=2",
				"--plaidsync.simulator.limits.window=2s")) {
			LinkedItem item = shortWindow.simulator().createItem("ins_900001", "user_short_window", null);
			Map<String, String> request = Map.of("access_token", item.accessToken());
			assertThat(shortWindow.plaid("/investments/holdings/get", request).status()).isEqualTo(200);
			assertThat(shortWindow.plaid("/investments/holdings/get", request).status()).isEqualTo(200);
			long firstCalls = System.nanoTime();
			assertThat(shortWindow.plaid("/investments/holdings/get", request).status()).isEqualTo(429);

			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> shortWindow.plaid("/investments/holdings/get", request).status() == 200);
			assertThat(Duration.ofNanos(System.nanoTime() - firstCalls)).as("the window, not a minute")
				.isLessThan(Duration.ofSeconds(30));
			assertThat(shortWindow.control().settings().path("rate_limit_window_ms").asLong()).isEqualTo(2_000);
		}
	}

	@Test
	void limitsCanBeChangedAndSwitchedOffAtRuntime() {
		LinkedItem item = sim.simulator().createItem("ins_900002", "user_runtime_limits", null);
		sim.control().setRateLimit("/accounts/get", "item", 1);
		Map<String, String> request = Map.of("access_token", item.accessToken(), "client_id", "runtime-client");
		assertThat(sim.plaid("/accounts/get", request).status()).isEqualTo(200);
		assertThat(sim.plaid("/accounts/get", request).status()).isEqualTo(429);
		sim.control().setRateLimitsEnabled(false);
		assertThat(sim.plaid("/accounts/get", request).status()).isEqualTo(200);
		sim.control().setRateLimitsEnabled(true);
	}

}
