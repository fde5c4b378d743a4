package dev.plaidsync.common;

import java.util.List;
import java.util.UUID;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EngineIntegrationTest
class UserScopedSessionIntegrationTests {

	private static final List<String> USER_FACING_TABLES = List.of("plaid_items", "user_investment_accounts",
			"holdings", "investment_transactions", "plaid_webhook_events");

	@Autowired
	JdbcClient jdbc;

	@Autowired
	UserScopedSession userScopedSession;

	UUID userA;

	UUID userB;

	@BeforeEach
	void twoUsersWithDataInEveryUserFacingTable() {
		String run = UUID.randomUUID().toString();
		UserDataFixture fixture = new UserDataFixture(this.jdbc);
		this.userA = fixture.insertUserWithData("a-" + run);
		this.userB = fixture.insertUserWithData("b-" + run);
	}

	@Test
	void aSessionScopedToUserAReadsNoneOfUserBsRowsEvenWithoutAnOwnershipFilter() {
		for (String table : USER_FACING_TABLES) {
			List<UUID> owners = this.userScopedSession.read(this.userA,
					(jdbc) -> jdbc.sql("SELECT user_id FROM " + table).query(UUID.class).list());

			assertThat(owners).as(table).isNotEmpty().containsOnly(this.userA);
		}
		List<UUID> users = this.userScopedSession.read(this.userA,
				(jdbc) -> jdbc.sql("SELECT id FROM app_users").query(UUID.class).list());
		assertThat(users).containsExactly(this.userA);
	}

	@Test
	void theEnginesOwnConnectionIsNotRestrictedSoTheScopeIsWhatFencesUsers() {
		for (String table : USER_FACING_TABLES) {
			List<UUID> owners = this.jdbc.sql("SELECT user_id FROM " + table).query(UUID.class).list();

			assertThat(owners).as(table).contains(this.userA, this.userB);
		}
	}

	@Test
	void theUserScopeIsReadOnlyAndEndsWithItsTransaction() {
		assertThatThrownBy(
				() -> this.userScopedSession.read(this.userA, (jdbc) -> jdbc.sql("DELETE FROM holdings").update()))
			.isInstanceOf(DataAccessException.class);

		assertThat(this.jdbc.sql("SELECT current_user").query(String.class).single())
			.isNotEqualTo("plaidsync_user_scope");
		assertThat(this.jdbc.sql("SELECT count(*) FROM holdings WHERE user_id = :id")
			.param("id", this.userB)
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aSessionWithNoUserSeesNothing() {
		Integer visible = this.userScopedSession.read(UUID.randomUUID(),
				(jdbc) -> jdbc.sql("SELECT count(*) FROM holdings").query(Integer.class).single());

		assertThat(visible).isZero();
	}

	@Test
	void aReadForTheSameUserInsideAReadJoinsItsTransactionAndStaysScoped() {
		List<String> seen = this.userScopedSession.read(this.userA, (outer) -> {
			String outerTransaction = outer.sql("SELECT txid_current()::text").query(String.class).single();
			String inner = this.userScopedSession.read(this.userA,
					(jdbc) -> jdbc.sql("SELECT txid_current()::text || ' ' || current_user")
						.query(String.class)
						.single());
			String after = outer.sql("SELECT current_user").query(String.class).single();
			List<UUID> owners = this.userScopedSession.read(this.userA,
					(jdbc) -> jdbc.sql("SELECT user_id FROM holdings").query(UUID.class).list());
			assertThat(owners).isNotEmpty().containsOnly(this.userA);
			return List.of(outerTransaction, inner, after);
		});

		assertThat(seen.get(1)).isEqualTo(seen.get(0) + " plaidsync_user_scope");
		assertThat(seen.get(2)).isEqualTo("plaidsync_user_scope");
	}

	@Test
	void aReadForAnotherUserInsideAReadIsRefusedAndTheOuterReadKeepsItsUser() {
		Integer visible = this.userScopedSession.read(this.userA, (outer) -> {
			assertThatThrownBy(() -> this.userScopedSession.read(this.userB,
					(jdbc) -> jdbc.sql("SELECT count(*) FROM holdings").query(Integer.class).single()))
				.isInstanceOf(IllegalStateException.class);
			return outer.sql("SELECT count(*) FROM holdings WHERE user_id = :id")
				.param("id", this.userB)
				.query(Integer.class)
				.single();
		});

		assertThat(visible).isZero();
		Integer ownRows = this.userScopedSession.read(this.userB,
				(jdbc) -> jdbc.sql("SELECT count(*) FROM holdings").query(Integer.class).single());
		assertThat(ownRows).isEqualTo(1);
	}

}
