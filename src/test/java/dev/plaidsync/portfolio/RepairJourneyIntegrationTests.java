package dev.plaidsync.portfolio;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EngineIntegrationTest
class RepairJourneyIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	SyncLauncher launcher;

	@Test
	void aBrokenLoginNeedsTheUserIsRepairedInUpdateModeAndSyncsAgain() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String token = api.demoToken("repair-" + run);
		String itemId = NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, token, "ins_900002",
				"repair-" + run);

		this.simulator.requireLogin(itemId);
		this.launcher.request(SyncJob.HOLDINGS, SyncScope.item(itemId), "test:" + UUID.randomUUID(),
				SyncOptions.interactive());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "NEEDS_USER".equals(item(api, token, itemId).path("status").asString()));
		JsonNode broken = item(api, token, itemId);
		assertThat(broken.path("status_reason").asString()).isEqualTo("ITEM_LOGIN_REQUIRED");
		assertThat(broken.path("user_action_required").asBoolean()).isTrue();
		assertThat(broken.path("user_action").asString()).isEqualTo("RECONNECT");

		JsonNode updateToken = api.post("/api/plaid/items/" + itemId + "/link-token", token, null).expect(200).body();
		assertThat(updateToken.path("update_mode").asBoolean()).isTrue();
		JsonNode notYet = api.post("/api/plaid/items/" + itemId + "/reconnected", token, null).expect(409).body();
		assertThat(notYet.path("error").asString()).isEqualTo("item_not_repaired");
		assertThat(item(api, token, itemId).path("status").asString()).isEqualTo("NEEDS_USER");

		assertThat(this.simulator.completeLink(updateToken.path("link_token").asString(), null, null)).isNull();
		Instant repairedAt = Instant.now();
		JsonNode reconnected = api.post("/api/plaid/items/" + itemId + "/reconnected", token, null).expect(200).body();
		assertThat(reconnected.path("status").asString()).isEqualTo("ACTIVE");
		assertThat(reconnected.path("user_action_required").asBoolean()).isFalse();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode synced = item(api, token, itemId);
			assertThat(synced.path("status").asString()).isEqualTo("ACTIVE");
			assertThat(Instant.parse(synced.path("last_synced").path("holdings").asString()))
				.isAfter(repairedAt.minusSeconds(1));
			assertThat(Instant.parse(synced.path("last_synced").path("transactions").asString()))
				.isAfter(repairedAt.minusSeconds(1));
			assertThat(synced.path("last_error").isNull()).isTrue();
		});
	}

	private static JsonNode item(UserApiClient api, String token, String itemId) {
		for (JsonNode item : api.get("/api/plaid/items", token).expect(200).body().path("items")) {
			if (item.path("item_id").asString().equals(itemId)) {
				return item;
			}
		}
		throw new AssertionError("item " + itemId + " is not listed");
	}

}
