package dev.plaidsync.webhooks;

import java.util.Optional;
import java.util.UUID;

import dev.plaidsync.items.ItemRemoval;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 17: a replayed event's copy names the item's owner, which {@code webhooks} now
 * learns from {@code items}' query type instead of joining {@code plaid_items}. An event
 * for an item the engine does not know is refused with a message, and nothing is stored;
 * a removed item keeps its owner, so its events can still be replayed.
 */
@EngineIntegrationTest
class WebhookReplayIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	WebhookReplay replay;

	@Autowired
	ItemRemoval removal;

	@Test
	void theReplayedCopyCarriesTheSameBodyAndTheItemsOwner() {
		UUID user = this.users.idFor("replay-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "replay-" + user).get(0);
		// stored without its owner, so the copy's owner can only come from the item
		UUID original = storedEvent(item, null, "DONE");

		UUID copy = this.replay.replay(original, "ops-test").orElseThrow();

		assertThat(column(copy, "user_id")).isEqualTo(user.toString());
		assertThat(column(copy, "item_id")).isEqualTo(item);
		assertThat(column(copy, "raw_webhook_data::text")).isEqualTo(column(original, "raw_webhook_data::text"));
		assertThat(column(copy, "verification")).isEqualTo("REPLAY of " + original);
		assertThat(column(copy, "status_reason")).isEqualTo("replay of " + original + " requested by ops-test");
	}

	@Test
	void anEventOfAnUnknownItemIsRefusedAndNothingIsStored() {
		UUID original = storedEvent("never-linked-" + UUID.randomUUID(), null, "UNKNOWN_ITEM");

		assertThatThrownBy(() -> this.replay.replay(original, "ops-test")).isInstanceOf(IllegalStateException.class)
			.hasMessage("Event " + original + " is for an item this engine does not know; link the item first");
		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_webhook_events WHERE verification = :replay")
			.param("replay", "REPLAY of " + original)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aRemovedItemsEventIsReplayedWithItsOwner() {
		UUID user = this.users.idFor("replay-removed-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "replay-removed-" + user).get(0);
		UUID original = storedEvent(item, user, "DONE");
		assertThat(this.removal.remove(item, "TEST")).contains(user);

		Optional<UUID> copy = this.replay.replay(original, "ops-test");

		assertThat(copy).isPresent();
		assertThat(column(copy.get(), "user_id")).isEqualTo(user.toString());
	}

	@Test
	void anUnknownEventIsNotFoundAndAnUnfinishedOneIsRefused() {
		assertThat(this.replay.replay(UUID.randomUUID(), "ops-test")).isEmpty();
		UUID user = this.users.idFor("replay-busy-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "replay-busy-" + user).get(0);
		UUID launched = storedEvent(item, user, "LAUNCHED");
		assertThatThrownBy(() -> this.replay.replay(launched, "ops-test")).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("is still being processed (LAUNCHED)");
	}

	private UUID storedEvent(String item, UUID user, String status) {
		return this.jdbc
			.sql("""
					INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, verification, body_sha256,
					    raw_webhook_data, status)
					VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, :user, 'VERIFIED', md5(random()::text),
					    jsonb_build_object('webhook_type', 'HOLDINGS', 'webhook_code', 'DEFAULT_UPDATE', 'item_id', :item), :status)
					RETURNING id
					""")
			.param("item", item)
			.param("user", user)
			.param("status", status)
			.query(UUID.class)
			.single();
	}

	private String column(UUID event, String column) {
		return this.jdbc.sql("SELECT " + column + "::text FROM plaid_webhook_events WHERE id = :id")
			.param("id", event)
			.query(String.class)
			.single();
	}

}
