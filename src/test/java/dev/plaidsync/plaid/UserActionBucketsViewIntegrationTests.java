package dev.plaidsync.plaid;

import java.util.UUID;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The view {@code user_action_buckets} (V22) is how the user API reaches plaid's bucket
 * table: it shows and accepts the per-user action keys only, so the client-wide Plaid
 * budget is out of its reach.
 */
@EngineIntegrationTest
class UserActionBucketsViewIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void theViewWritesUserActionKeysIntoPlaidsTableAndNeitherShowsNorAcceptsTheClientBudget() {
		String budgetKey = "client:view-test-" + UUID.randomUUID();
		String userKey = "force-sync:" + UUID.randomUUID();
		this.jdbc.sql("INSERT INTO plaid_rate_buckets (id, state) VALUES (:id, NULL)").param("id", budgetKey).update();

		this.jdbc.sql("INSERT INTO user_action_buckets (id, state) VALUES (:id, NULL) ON CONFLICT (id) DO NOTHING")
			.param("id", userKey)
			.update();

		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_rate_buckets WHERE id = :id")
			.param("id", userKey)
			.query(Long.class)
			.single()).isOne();
		assertThat(this.jdbc.sql("SELECT count(*) FROM user_action_buckets WHERE id = :id")
			.param("id", budgetKey)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("UPDATE user_action_buckets SET state = NULL WHERE id = :id")
			.param("id", budgetKey)
			.update()).isZero();
		assertThatThrownBy(() -> this.jdbc.sql("INSERT INTO user_action_buckets (id, state) VALUES (:id, NULL)")
			.param("id", "client:other-" + UUID.randomUUID())
			.update()).isInstanceOf(DataAccessException.class);

		this.jdbc.sql("DELETE FROM plaid_rate_buckets WHERE id IN (:ids)")
			.param("ids", java.util.List.of(budgetKey, userKey))
			.update();
	}

}
