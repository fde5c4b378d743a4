package dev.plaidsync.sync;

import java.util.List;
import java.util.UUID;

import dev.plaidsync.items.ItemRemoval;
import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 17: {@code items} removes an item (or the user revokes one account of it), and
 * {@code sync}, which owns the synced holdings and transactions, deletes them in the same
 * transaction. Removing one item deletes its rows only; a failure while {@code sync}
 * deletes rolls the whole removal back (item still ACTIVE, accounts, holdings and webhook
 * bodies as they were), and the removal can then be repeated. A database trigger refuses
 * the delete: a real failure of the real statement, no mock.
 */
@EngineIntegrationTest
class SyncedDataErasureIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	ItemRemoval removal;

	@Autowired
	ItemStatusChanges statusChanges;

	@Autowired
	TransactionTemplate transaction;

	UUID user;

	List<String> items;

	String trigger;

	String triggerTable;

	@BeforeEach
	void setUp() {
		this.user = this.users.idFor("erasure-" + UUID.randomUUID());
		this.items = TestItems.create(this.context, this.user, 2, "ins_900001", "erasure-" + this.user);
		this.jdbc.sql("""
				INSERT INTO securities (security_id, ticker_symbol, name) VALUES ('erasure-sec', 'ERS', 'Erasure test')
				ON CONFLICT DO NOTHING
				""").update();
		for (String item : this.items) {
			for (String account : List.of("a-" + item, "b-" + item)) {
				this.jdbc.sql("""
						INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, type)
						VALUES (:account, :item, :user, 'Brokerage', 'investment')
						""").param("account", account).param("item", item).param("user", this.user).update();
				this.jdbc.sql("""
						INSERT INTO holdings (account_id, item_id, user_id, security_id, quantity, institution_price,
						    institution_value, synced_at)
						VALUES (:account, :item, :user, 'erasure-sec', 2, 10.50, 21.00, now())
						""").param("account", account).param("item", item).param("user", this.user).update();
				this.jdbc.sql("""
						INSERT INTO investment_transactions (investment_transaction_id, account_id, item_id, user_id,
						    security_id, date, quantity, amount, price, type, synced_at)
						VALUES (:id, :account, :item, :user, 'erasure-sec', current_date, 2, 21.00, 10.50, 'buy', now())
						""")
					.param("id", "t-" + account)
					.param("account", account)
					.param("item", item)
					.param("user", this.user)
					.update();
			}
			this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, verification, body_sha256,
						    raw_webhook_data, status)
						VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, :user, 'VERIFIED', md5(random()::text),
						    jsonb_build_object('item_id', :item), 'DONE')
						""")
				.param("item", item)
				.param("user", this.user)
				.update();
		}
	}

	@AfterEach
	void dropTrigger() {
		if (this.trigger != null) {
			this.jdbc.sql("DROP TRIGGER IF EXISTS " + this.trigger + " ON " + this.triggerTable).update();
			this.trigger = null;
		}
	}

	@Test
	void removingAnItemDeletesItsHoldingsAndTransactionsAndNothingElses() {
		String removed = this.items.get(0);
		String kept = this.items.get(1);

		assertThat(this.removal.remove(removed, "TEST")).contains(this.user);

		assertThat(status(removed)).isEqualTo("REMOVED");
		assertThat(count("holdings", "item_id", removed)).isZero();
		assertThat(count("investment_transactions", "item_id", removed)).isZero();
		assertThat(count("user_investment_accounts", "item_id", removed)).isZero();
		assertThat(count("holdings", "item_id", kept)).isEqualTo(2);
		assertThat(count("investment_transactions", "item_id", kept)).isEqualTo(2);
		assertThat(count("user_investment_accounts", "item_id", kept)).isEqualTo(2);
	}

	@Test
	void aFailingDeleteOfTheSyncedRowsRollsTheWholeRemovalBackAndTheRemovalCanBeRepeated() {
		String item = this.items.get(0);
		refuseDeletesOf("investment_transactions", item);

		assertThatThrownBy(() -> this.removal.remove(item, "TEST")).isInstanceOf(DataAccessException.class)
			.hasMessageContaining("refused by the test");

		assertThat(status(item)).isEqualTo("ACTIVE");
		assertThat(this.jdbc.sql("SELECT octet_length(access_token_ciphertext) FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(Integer.class)
			.single()).isPositive();
		assertThat(count("holdings", "item_id", item)).isEqualTo(2);
		assertThat(count("investment_transactions", "item_id", item)).isEqualTo(2);
		assertThat(count("user_investment_accounts", "item_id", item)).isEqualTo(2);
		assertThat(body(item)).contains(item);

		dropTrigger();
		// Plaid already removed it on the first attempt: ITEM_NOT_FOUND now, and the
		// removal completes here
		assertThat(this.removal.remove(item, "TEST")).contains(this.user);
		assertThat(status(item)).isEqualTo("REMOVED");
		assertThat(count("holdings", "item_id", item)).isZero();
		assertThat(count("investment_transactions", "item_id", item)).isZero();
		assertThat(count("user_investment_accounts", "item_id", item)).isZero();
		assertThat(body(item)).isEqualTo("{}");
	}

	@Test
	void revokingAnAccountDeletesThatAccountsHoldingsAndTransactionsOnly() {
		String item = this.items.get(0);
		String revoked = "a-" + item;

		Boolean known = this.transaction.execute((status) -> this.statusChanges.accountRevoked(item, revoked));
		assertThat(known).isTrue();

		assertThat(active(revoked)).isFalse();
		assertThat(count("holdings", "account_id", revoked)).isZero();
		assertThat(count("investment_transactions", "account_id", revoked)).isZero();
		assertThat(active("b-" + item)).isTrue();
		assertThat(count("holdings", "account_id", "b-" + item)).isOne();
		assertThat(count("investment_transactions", "account_id", "b-" + item)).isOne();
		assertThat(count("holdings", "item_id", this.items.get(1))).isEqualTo(2);

		Boolean unknown = this.transaction
			.execute((status) -> this.statusChanges.accountRevoked(item, "no-such-account"));
		assertThat(unknown).isFalse();
		assertThat(count("holdings", "item_id", item)).isOne();
	}

	@Test
	void aFailingDeleteOfTheAccountsRowsLeavesTheAccountActive() {
		String item = this.items.get(0);
		String revoked = "a-" + item;
		refuseDeletesOf("investment_transactions", item);

		assertThatThrownBy(() -> this.transaction.execute((status) -> this.statusChanges.accountRevoked(item, revoked)))
			.isInstanceOf(DataAccessException.class)
			.hasMessageContaining("refused by the test");

		assertThat(active(revoked)).isTrue();
		assertThat(count("holdings", "account_id", revoked)).isOne();
		assertThat(count("investment_transactions", "account_id", revoked)).isOne();
	}

	/**
	 * A trigger that fails any delete of the item's rows from the table, as a broken disk
	 * or a bug would.
	 */
	private void refuseDeletesOf(String table, String item) {
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION erasure_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				    IF OLD.item_id = TG_ARGV[0] THEN
				        RAISE EXCEPTION 'refused by the test';
				    END IF;
				    RETURN OLD;
				END
				$$
				""").update();
		String name = "erasure_test_refuse_" + UUID.randomUUID().toString().replace("-", "");
		this.jdbc
			.sql("CREATE TRIGGER " + name + " BEFORE DELETE ON " + table
					+ " FOR EACH ROW EXECUTE FUNCTION erasure_test_refuse('" + item.replace("'", "''") + "')")
			.update();
		this.trigger = name;
		this.triggerTable = table;
	}

	private String status(String item) {
		return this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.single();
	}

	private boolean active(String account) {
		return this.jdbc.sql("SELECT is_active FROM user_investment_accounts WHERE account_id = :account")
			.param("account", account)
			.query(Boolean.class)
			.single();
	}

	private String body(String item) {
		return this.jdbc.sql("SELECT raw_webhook_data::text FROM plaid_webhook_events WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.single();
	}

	private long count(String table, String column, String value) {
		return this.jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + column + " = :value")
			.param("value", value)
			.query(Long.class)
			.single();
	}

}
