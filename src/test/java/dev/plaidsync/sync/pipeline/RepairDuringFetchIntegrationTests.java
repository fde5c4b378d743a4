package dev.plaidsync.sync.pipeline;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user repairs an item while a fetch that Plaid will answer ITEM_LOGIN_REQUIRED is on
 * its way: the older answer, recorded after the repair, does not send the item back to
 * NEEDS_USER. An answer to a call made after the repair still does.
 */
@EngineIntegrationTest
class RepairDuringFetchIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	ChunkSettlement settlement;

	@Autowired
	ItemStatusChanges itemStatus;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Test
	void aLoginRequiredAnswerToACallMadeBeforeTheRepairLeavesTheRepairedItemActive() {
		UUID user = this.users.idFor("repair-in-flight-" + UUID.randomUUID());
		String itemId = TestItems.create(this.context, user, 1, "ins_900001", "repair-in-flight-" + user).get(0);
		this.itemStatus.needsUser(itemId, "ITEM_LOGIN_REQUIRED", "the login changed");
		Instant askedBeforeTheRepair = Instant.now();
		awaitTheDatabaseClockPast(askedBeforeTheRepair);

		assertThat(this.itemStatus.reactivate(itemId)).isTrue();
		record(loginRequired(itemId, user, askedBeforeTheRepair));

		assertThat(status(itemId)).isEqualTo("ACTIVE");

		Instant askedAfterTheRepair = databaseNow();
		record(loginRequired(itemId, user, askedAfterTheRepair));

		assertThat(status(itemId)).isEqualTo("NEEDS_USER");
	}

	private void record(FetchOutcome.Failed<Object> failure) {
		this.transaction
			.executeWithoutResult((status) -> this.settlement.failed(0L, "holdingsSyncJob", failure, false));
	}

	private static FetchOutcome.Failed<Object> loginRequired(String itemId, UUID user, Instant askedAt) {
		return new FetchOutcome.Failed<>(new SyncItem(0, itemId, user, "ins_900001", "k1", new byte[0], null, null),
				PlaidFailure.Kind.ITEM_NEEDS_USER, "ITEM_LOGIN_REQUIRED", "the login changed", askedAt);
	}

	private String status(String itemId) {
		return this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", itemId)
			.query(String.class)
			.single();
	}

	private Instant databaseNow() {
		return this.jdbc.sql("SELECT clock_timestamp()").query(OffsetDateTime.class).single().toInstant();
	}

	private void awaitTheDatabaseClockPast(Instant instant) {
		while (!databaseNow().isAfter(instant)) {
			Thread.onSpinWait();
		}
	}

}
