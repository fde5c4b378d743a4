package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The daily holdings history the sync keeps (one snapshot per investment account and
 * market day), read. Accounts are named by their key ({@code account_key}, as
 * {@code items} exports it). The reads for a user run as that user and join the caller's
 * user-scoped read when there is one; the per-account read runs as the engine. Read-only
 * and thread-safe.
 */
@Component
public class HoldingsSnapshots {

	private final UserScopedSession session;

	private final JdbcClient jdbc;

	HoldingsSnapshots(UserScopedSession session, JdbcClient jdbc) {
		this.session = session;
		this.jdbc = jdbc;
	}

	/** An account's total value per currency on one market day (parallel arrays). */
	public record DayTotals(LocalDate day, long accountKey, String[] currencies, BigDecimal[] values) {
	}

	/**
	 * One position of an account's snapshot of one day; {@code securityId} and
	 * {@code quantity} are null for a snapshot without positions.
	 */
	public record SnapshotPosition(LocalDate day, OffsetDateTime fetchedAt, @Nullable String securityId,
			@Nullable BigDecimal quantity) {
	}

	/**
	 * The user's accounts' totals for the days from {@code from} to {@code to}, and each
	 * account's latest before {@code from} (the value it carries into the range), by day.
	 */
	public List<DayTotals> totals(UUID userId, LocalDate from, LocalDate to) {
		return this.session.read(userId,
				(jdbc) -> jdbc.sql("""
						SELECT day, account_key, total_currencies, total_values FROM (
						    SELECT h.day, h.account_key, h.total_currencies, h.total_values
						    FROM holdings_history h
						    WHERE h.user_id = :userId AND h.day BETWEEN :from AND :to
						    UNION ALL
						    (SELECT DISTINCT ON (h.account_key) h.day, h.account_key, h.total_currencies, h.total_values
						    FROM holdings_history h
						    WHERE h.user_id = :userId AND h.day < :from
						    ORDER BY h.account_key, h.day DESC)
						) t
						ORDER BY day, account_key
						""")
					.param("userId", userId)
					.param("from", from)
					.param("to", to)
					.query((rs, n) -> new DayTotals(rs.getObject("day", LocalDate.class), rs.getLong("account_key"),
							(String[]) rs.getArray("total_currencies").getArray(),
							(BigDecimal[]) rs.getArray("total_values").getArray()))
					.list());
	}

	/**
	 * As the engine: every position of the account's snapshots from {@code since} on, by
	 * day.
	 */
	public List<SnapshotPosition> positions(long accountKey, LocalDate since) {
		return this.jdbc.sql("""
				SELECT h.day, h.fetched_at, s.security_id, p.quantity
				FROM holdings_history h
				LEFT JOIN LATERAL unnest(h.security_keys, h.quantities) AS p (security_key, quantity) ON true
				LEFT JOIN history_securities s ON s.security_key = p.security_key
				WHERE h.account_key = :accountKey AND h.day >= :since
				ORDER BY h.day
				""")
			.param("accountKey", accountKey)
			.param("since", since)
			.query((rs, n) -> new SnapshotPosition(rs.getObject("day", LocalDate.class),
					rs.getObject("fetched_at", OffsetDateTime.class), rs.getString("security_id"),
					rs.getBigDecimal("quantity")))
			.list();
	}

}
