package dev.plaidsync.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.plaidsync.testsupport.TestDatabase;

/**
 * How big a year of daily holdings history is. Fills {@code holdings_history} (the real
 * migrated, partitioned table on an embedded PostgreSQL) with {@code bench.accounts}
 * accounts × {@code bench.days} market days of {@code bench.positions} positions shaped
 * like Plaid's (security keys out of a universe of 60,000, quantities to 3 decimals,
 * values to 2), measures the bytes per account-day on disk (heap, TOAST and indexes of
 * every partition), and extrapolates to 150,000 items × {@code bench.accounts-per-item}
 * investment accounts × 252 market days. Exits non-zero when the table does not hold what
 * was inserted. <pre>
 * mvn -Pbench -DskipTests verify -Dbench.main=dev.plaidsync.bench.HistorySizeBenchmark
 * </pre>
 */
public final class HistorySizeBenchmark {

	private HistorySizeBenchmark() {
	}

	public static void main(String[] args) throws SQLException {
		int accounts = Benchmarks.size("bench.accounts", 50, 2_000);
		int days = Benchmarks.size("bench.days", 3, 21);
		int positions = Integer.getInteger("bench.positions", 22);
		double accountsPerItem = Double.parseDouble(System.getProperty("bench.accounts-per-item", "2.5"));
		String url = TestDatabase.newMigratedDatabaseUrl();
		try (Connection connection = DriverManager.getConnection(url, TestDatabase.username(), "");
				Statement sql = connection.createStatement()) {
			sql.execute("""
					INSERT INTO app_users (id, auth_subject) VALUES ('00000000-0000-0000-0000-000000000001', 'bench')
					""");
			sql.execute("""
					INSERT INTO plaid_items (item_id, user_id, access_token_ciphertext, access_token_key_id)
					VALUES ('bench-item', '00000000-0000-0000-0000-000000000001', '\\x00', 'k1')
					""");
			try (PreparedStatement insert = connection.prepareStatement(
					"""
							INSERT INTO user_investment_accounts (account_id, item_id, user_id, type)
							SELECT left(md5('account' || g) || md5('a' || g), 37), 'bench-item', '00000000-0000-0000-0000-000000000001',
							       'investment'
							FROM generate_series(1, ?) g
							""")) {
				insert.setInt(1, accounts);
				insert.executeUpdate();
			}
			long started = System.nanoTime();
			try (PreparedStatement insert = connection.prepareStatement("""
					INSERT INTO holdings_history (account_key, day, user_id, total_currencies, total_values,
					    security_keys, quantities, institution_values, fetched_at)
					SELECT a.id, DATE '2026-03-02' + d, a.user_id, ARRAY['USD'],
					       ARRAY[round((random() * 500000)::numeric, 2)],
					       ARRAY(SELECT (a.id * 7919 + p * 104729) % 60000 FROM generate_series(1, ?) p ORDER BY 1),
					       ARRAY(SELECT round((random() * 1000)::numeric, 3) FROM generate_series(1, ?) p),
					       ARRAY(SELECT round((random() * 50000)::numeric, 2) FROM generate_series(1, ?) p),
					       now()
					FROM user_investment_accounts a CROSS JOIN generate_series(0, ? - 1) d
					""")) {
				insert.setInt(1, positions);
				insert.setInt(2, positions);
				insert.setInt(3, positions);
				insert.setInt(4, days);
				insert.executeUpdate();
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			sql.execute("VACUUM ANALYZE holdings_history");
			long rows = single(sql, "SELECT count(*) FROM holdings_history");
			long bytes = single(sql, """
					SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('holdings_history') WHERE isleaf
					""");
			long expected = (long) accounts * days;
			double perRow = (double) bytes / rows;
			double accountDaysPerYear = 150_000 * accountsPerItem * 252;
			System.out.printf("cores: %d%n", Runtime.getRuntime().availableProcessors());
			System.out.printf(
					"inserted %,d account-days (%d accounts x %d days, %d positions each) in %.1f s: %,.0f rows/s%n",
					rows, accounts, days, positions, seconds, rows / seconds);
			System.out.printf(
					"on disk (heap + TOAST + indexes, all partitions): %,d bytes = %.0f bytes per account-day%n", bytes,
					perRow);
			System.out.printf(
					"a year for 150,000 items (%.1f accounts each, 252 market days = %,.0f account-days): %.1f GB, "
							+ "%.1f GB a month partition%n",
					accountsPerItem, accountDaysPerYear, perRow * accountDaysPerYear / 1e9,
					perRow * accountDaysPerYear / 12 / 1e9);
			if (rows != expected) {
				System.err.printf("FAIL: %d rows stored, %d inserted%n", rows, expected);
				System.exit(1);
			}
		}
		System.exit(0);
	}

	private static long single(Statement sql, String query) throws SQLException {
		try (ResultSet result = sql.executeQuery(query)) {
			result.next();
			return result.getLong(1);
		}
	}

}
