package dev.plaidsync.notifications;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.UserRemoval;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRuns;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox on the shared engine, which has no webhook URL: every change writes its
 * event to the user's sequence in the change's own transaction (NO_ENDPOINT: kept for the
 * stream, never delivered), and a change that rolls back leaves none.
 */
@EngineIntegrationTest
class OutboxIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	ItemStatusChanges statusChanges;

	@Autowired
	UserRemoval userRemoval;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	JsonMapper json;

	@Test
	void aStatusChangeThatRollsBackWritesNoEventAndOneThatCommitsWritesItsEvent() {
		UUID user = this.users.idFor("outbox-rollback-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "outbox-rb-" + UUID.randomUUID()).get(0);

		this.transaction.executeWithoutResult((status) -> {
			this.statusChanges.needsUser(item, "ITEM_LOGIN_REQUIRED", "the login changed");
			status.setRollbackOnly();
		});
		assertThat(events(user)).isEmpty();
		assertThat(itemStatus(item)).isEqualTo("ACTIVE");

		this.transaction.executeWithoutResult(
				(status) -> this.statusChanges.needsUser(item, "ITEM_LOGIN_REQUIRED", "the login changed"));
		// the same status and code again is no change, and no event
		this.transaction.executeWithoutResult(
				(status) -> this.statusChanges.needsUser(item, "ITEM_LOGIN_REQUIRED", "the login changed"));
		this.statusChanges.reactivate(item);

		List<Event> events = events(user);
		assertThat(events).extracting(Event::seq).containsExactly(1L, 2L);
		assertThat(events).extracting(Event::type).containsOnly("item.status_changed");
		assertThat(events).extracting(Event::delivery).containsOnly("NO_ENDPOINT");
		JsonNode needsUser = this.json.readTree(events.get(0).data());
		assertThat(needsUser.get("user_id").asString()).isEqualTo(user.toString());
		assertThat(needsUser.get("item_id").asString()).isEqualTo(item);
		assertThat(needsUser.get("status").asString()).isEqualTo("NEEDS_USER");
		assertThat(needsUser.get("previous_status").asString()).isEqualTo("ACTIVE");
		assertThat(needsUser.get("error_code").asString()).isEqualTo("ITEM_LOGIN_REQUIRED");
		assertThat(needsUser.get("user_action").asString()).isEqualTo("RECONNECT");
		JsonNode repaired = this.json.readTree(events.get(1).data());
		assertThat(repaired.get("status").asString()).isEqualTo("ACTIVE");
		assertThat(repaired.get("previous_status").asString()).isEqualTo("NEEDS_USER");
		assertThat(repaired.get("user_action").isNull()).isTrue();
	}

	@Test
	void aSyncWritesPortfolioUpdatedNamingItsItemsInvestmentAccountsProductAndAsOf() {
		UUID user = this.users.idFor("outbox-sync-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 2, "ins_900002", "outbox-sync-" + UUID.randomUUID());

		new SyncRuns(this.launcher, this.jdbc).runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user),
				SyncOptions.interactive());

		List<Event> events = events(user);
		assertThat(events).isNotEmpty();
		assertThat(events).extracting(Event::type).containsOnly("portfolio.updated");
		List<String> itemsReported = events.stream()
			.flatMap((event) -> this.json.readTree(event.data()).get("items").valueStream())
			.map((entry) -> entry.get("item_id").asString())
			.toList();
		assertThat(itemsReported).containsExactlyInAnyOrderElementsOf(items);
		List<String> accountsReported = events.stream()
			.flatMap((event) -> this.json.readTree(event.data()).get("account_ids").valueStream())
			.map(JsonNode::asString)
			.toList();
		List<String> investmentAccounts = items.stream()
			.flatMap((item) -> this.simulator.item(item).accounts().stream())
			.filter((account) -> "investment".equals(account.type()))
			.map(SimAccount::accountId)
			.toList();
		assertThat(accountsReported).isNotEmpty().containsExactlyInAnyOrderElementsOf(investmentAccounts);
		JsonNode first = this.json.readTree(events.get(0).data());
		assertThat(first.get("products").get(0).asString()).isEqualTo("holdings");
		assertThat(first.get("as_of").asString()).isNotBlank();
	}

	@Test
	void deletingAUserErasesTheirEventsAndLeavesUserDeletedLast() {
		UUID user = this.users.idFor("outbox-delete-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 1, "ins_900001", "outbox-del-" + UUID.randomUUID());
		this.transaction.executeWithoutResult(
				(status) -> this.statusChanges.broken(items.get(0), "ITEM_NOT_FOUND", "gone at Plaid"));
		assertThat(events(user)).extracting(Event::type).containsExactly("item.status_changed");

		this.userRemoval.remove(user);

		List<Event> events = events(user);
		// item.removed (seq 2) was written, then erased with everything else of the user
		assertThat(events).extracting(Event::type, Event::seq)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("user.deleted", 3L));
		assertThat(this.json.readTree(events.get(0).data()).properties()).extracting(Map.Entry::getKey)
			.containsExactly("user_id");
	}

	private List<Event> events(UUID user) {
		return this.jdbc
			.sql("""
					SELECT seq, type, data::text AS data, delivery FROM notification_events WHERE user_id = :user ORDER BY seq
					""")
			.param("user", user)
			.query(Event.class)
			.list();
	}

	private String itemStatus(String item) {
		return this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.single();
	}

	record Event(long seq, String type, String data, String delivery) {
	}

}
