package dev.plaidsync.portfolio;

import java.util.List;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: deletion deletes. Removing an item over HTTP deletes its accounts (with their
 * masks), wipes the item's stored masks and redacts its webhook bodies;
 * {@code DELETE /api/me} does the same for every item and every webhook body of the user.
 * Another user's data, and the user's other item, stay as they were.
 */
@EngineIntegrationTest
class DeletionIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	UserApiClient api;

	String subject;

	UUID user;

	List<String> items;

	UUID bystander;

	String bystanderItem;

	@BeforeEach
	void setUp() {
		this.api = new UserApiClient(this.port);
		this.subject = "deleting-" + UUID.randomUUID();
		this.user = this.users.idFor(this.subject);
		this.items = TestItems.create(this.context, this.user, 2, "ins_900001", "del-" + this.user);
		this.bystander = this.users.idFor("bystander-" + UUID.randomUUID());
		this.bystanderItem = TestItems.create(this.context, this.bystander, 1, "ins_900001", "by-" + this.bystander)
			.get(0);
		for (String item : List.of(this.items.get(0), this.items.get(1), this.bystanderItem)) {
			UUID owner = item.equals(this.bystanderItem) ? this.bystander : this.user;
			this.jdbc.sql("UPDATE plaid_items SET account_masks = ARRAY['0042'] WHERE item_id = :item")
				.param("item", item)
				.update();
			this.jdbc.sql("""
					INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, mask, type)
					VALUES (:account, :item, :user, 'Brokerage', '0042', 'investment')
					""").param("account", "acc-" + item).param("item", item).param("user", owner).update();
			this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, verification, body_sha256,
						    raw_webhook_data, error_message, status)
						VALUES ('ITEM', 'ERROR', :item, :user, 'VERIFIED', md5(random()::text),
						    jsonb_build_object('item_id', :item, 'error', jsonb_build_object('error_message', 'the login for 0042 failed')),
						    'the login for 0042 failed', 'DONE')
						""")
				.param("item", item)
				.param("user", owner)
				.update();
		}
	}

	@Test
	void removingAnItemDeletesItsAccountsMasksAndWebhookBodies() {
		String token = this.api.demoToken(this.subject);
		this.api.delete("/api/plaid/items/" + this.items.get(0), token).expect(200);

		assertThat(accounts(this.items.get(0))).isZero();
		assertThat(masks(this.items.get(0))).isNull();
		assertThat(bodies(this.items.get(0))).containsExactly("{}");
		assertThat(errors(this.items.get(0))).containsOnlyNulls();
		// the user's other item and another user's item are untouched
		assertThat(accounts(this.items.get(1))).isOne();
		assertThat(masks(this.items.get(1))).isEqualTo("{0042}");
		assertThat(bodies(this.items.get(1))).singleElement().asString().contains("0042");
		assertThat(bodies(this.bystanderItem)).singleElement().asString().contains("0042");
	}

	@Test
	void deletingTheUserRedactsEveryWebhookBodyOfTheirsAndDeletesTheirRows() {
		String token = this.api.demoToken(this.subject);
		this.api.delete("/api/me", token).expect(200);

		for (String item : this.items) {
			assertThat(bodies(item)).containsExactly("{}");
			assertThat(this.jdbc
				.sql("SELECT count(*) FROM plaid_webhook_events WHERE item_id = :item AND user_id IS NOT NULL")
				.param("item", item)
				.query(Long.class)
				.single()).isZero();
			assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_items WHERE item_id = :item")
				.param("item", item)
				.query(Long.class)
				.single()).isZero();
			assertThat(accounts(item)).isZero();
		}
		assertThat(this.jdbc.sql("SELECT count(*) FROM app_users WHERE id = :user")
			.param("user", this.user)
			.query(Long.class)
			.single()).isZero();
		assertThat(accounts(this.bystanderItem)).isOne();
		assertThat(masks(this.bystanderItem)).isEqualTo("{0042}");
		assertThat(bodies(this.bystanderItem)).singleElement().asString().contains("0042");
	}

	private long accounts(String item) {
		return this.jdbc.sql("SELECT count(*) FROM user_investment_accounts WHERE item_id = :item")
			.param("item", item)
			.query(Long.class)
			.single();
	}

	private String masks(String item) {
		List<String> masks = this.jdbc.sql("SELECT account_masks::text FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.list();
		assertThat(masks).hasSize(1);
		return masks.get(0);
	}

	private List<String> bodies(String item) {
		return this.jdbc.sql("SELECT raw_webhook_data::text FROM plaid_webhook_events WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.list();
	}

	private List<String> errors(String item) {
		return this.jdbc.sql("SELECT error_message FROM plaid_webhook_events WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.list();
	}

}
