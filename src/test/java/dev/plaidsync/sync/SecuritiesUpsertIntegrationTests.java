package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every chunk brings {@code CUR:USD} and the popular tickers: a security that did not
 * change is not rewritten (its row version stays; so it is not locked for update either),
 * while one whose price moved is updated.
 */
@EngineIntegrationTest
class SecuritiesUpsertIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	SyncLauncher launcher;

	@Test
	void unchangedSecuritiesAreNeitherWrittenNorLockedAndAMovedPriceIs() {
		SyncRuns runs = new SyncRuns(this.launcher, this.jdbc);
		String run = UUID.randomUUID().toString().substring(0, 8);
		UUID user = this.users.idFor("securities-" + run);
		TestItems.create(this.context, user, 3, "ins_900001", "securities-" + run);
		runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user), SyncOptions.interactive());
		Map<String, String> versions = versionsOfTheUsersSecurities(user);
		assertThat(versions).hasSizeGreaterThan(3);
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM securities WHERE security_id IN (:ids) AND ticker_symbol = 'CUR:USD'")
			.param("ids", versions.keySet())
			.query(Long.class)
			.single()).as("the user holds USD cash").isOne();

		runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user), SyncOptions.interactive());
		assertThat(versionsOfTheUsersSecurities(user)).isEqualTo(versions);

		String moved = this.jdbc.sql("""
				SELECT security_id FROM securities WHERE security_id IN (:ids) AND type <> 'cash'
				ORDER BY security_id LIMIT 1
				""").param("ids", versions.keySet()).query(String.class).single();
		this.simulator.setPrice(moved, new BigDecimal("4321.25"));
		runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user), SyncOptions.interactive());
		Map<String, String> after = versionsOfTheUsersSecurities(user);
		assertThat(after.get(moved)).isNotEqualTo(versions.get(moved));
		assertThat(this.jdbc.sql("SELECT close_price FROM securities WHERE security_id = :id")
			.param("id", moved)
			.query(BigDecimal.class)
			.single()).isEqualByComparingTo("4321.25");
		after.remove(moved);
		versions.remove(moved);
		assertThat(after).isEqualTo(versions);
	}

	/**
	 * Each security's row version: {@code xmin} changes when the row is rewritten. (Its
	 * lock marker {@code xmax} cannot tell: inserting holdings takes a key-share lock on
	 * the securities they reference, as every foreign key does.)
	 */
	private Map<String, String> versionsOfTheUsersSecurities(UUID user) {
		return this.jdbc.sql("""
				SELECT s.security_id, s.xmin::text AS version FROM securities s
				WHERE s.security_id IN (SELECT h.security_id FROM holdings h WHERE h.user_id = :user)
				""")
			.param("user", user)
			.query((row, number) -> Map.entry(row.getString(1), row.getString(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

}
