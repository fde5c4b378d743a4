package dev.plaidsync.sync.jobs;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import dev.plaidsync.sync.HistoryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps one row per investment account and market day in {@code holdings_history}: the
 * day's positions (security keys from {@code history_securities}, quantities, institution
 * values) and the account's total value per currency. Called by the holdings writer, in
 * its chunk transaction, for the accounts whose holdings it has just replaced; the row is
 * upserted, so the newest fetch of a market day wins (a fetch taken before the stored one
 * never replaces it) and a restarted chunk writes nothing twice.
 * <p>
 * The market day of a snapshot is its fetch's ({@link MarketDay}): one day for every
 * account of the fetch, so an account whose prices lag a day is filed beside the others.
 */
@Component
class HoldingsHistory {

	private static final Logger log = LoggerFactory.getLogger(HoldingsHistory.class);

	private final JdbcClient jdbc;

	private final HistoryProperties properties;

	HoldingsHistory(JdbcClient jdbc, HistoryProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	ZoneId marketZone() {
		return this.properties.marketZone();
	}

	/** Records each account's snapshot for its market day. */
	void recordDay(Map<String, LocalDate> marketDays) {
		if (marketDays.isEmpty()) {
			return;
		}
		String[] accounts = marketDays.keySet().toArray(String[]::new);
		String[] days = marketDays.values().stream().map(LocalDate::toString).toArray(String[]::new);
		this.jdbc.sql("""
				INSERT INTO history_securities (security_id)
				SELECT DISTINCT h.security_id FROM holdings h
				WHERE h.account_id = ANY (:accounts)
				AND NOT EXISTS (SELECT 1 FROM history_securities s WHERE s.security_id = h.security_id)
				ORDER BY h.security_id
				ON CONFLICT (security_id) DO NOTHING
				""").param("accounts", accounts).update();
		this.jdbc
			.sql("""
					WITH positions AS (
					    SELECT h.account_id, s.security_key, h.quantity, h.institution_value, h.institution_price_as_of,
					           h.synced_at, coalesce(h.iso_currency_code, h.unofficial_currency_code, 'XXX') AS currency
					    FROM holdings h JOIN history_securities s ON s.security_id = h.security_id
					    WHERE h.account_id = ANY (:accounts)
					), totals AS (
					    SELECT account_id, array_agg(currency ORDER BY currency) AS currencies, array_agg(total ORDER BY currency) AS totals
					    FROM (SELECT account_id, currency, sum(institution_value) AS total FROM positions GROUP BY account_id, currency) t
					    GROUP BY account_id
					), days AS (
					    SELECT account_id, array_agg(security_key ORDER BY security_key) AS security_keys,
					           array_agg(quantity ORDER BY security_key) AS quantities,
					           array_agg(institution_value ORDER BY security_key) AS institution_values,
					           max(synced_at) AS fetched_at
					    FROM positions GROUP BY account_id
					), market_days AS (
					    SELECT account_id, CAST(day AS date) AS day FROM unnest(CAST(:accounts AS text[]), CAST(:days AS text[]))
					        AS m (account_id, day)
					)
					INSERT INTO holdings_history (account_key, day, user_id, total_currencies, total_values, security_keys,
					    quantities, institution_values, fetched_at)
					SELECT a.account_key, m.day,
					       a.user_id, coalesce(t.currencies, '{}'), coalesce(t.totals, '{}'),
					       coalesce(d.security_keys, '{}'), coalesce(d.quantities, '{}'), coalesce(d.institution_values, '{}'),
					       coalesce(d.fetched_at, a.last_synced, now())
					FROM investment_account_keys a
					JOIN market_days m ON m.account_id = a.account_id
					LEFT JOIN days d ON d.account_id = a.account_id
					LEFT JOIN totals t ON t.account_id = a.account_id
					WHERE a.account_id = ANY (:accounts)
					ORDER BY a.account_key
					ON CONFLICT (account_key, day) DO UPDATE SET total_currencies = EXCLUDED.total_currencies,
					    total_values = EXCLUDED.total_values, security_keys = EXCLUDED.security_keys,
					    quantities = EXCLUDED.quantities, institution_values = EXCLUDED.institution_values,
					    fetched_at = EXCLUDED.fetched_at
					-- a fetch taken before the stored one (a slow run finishing late) never replaces it
					WHERE holdings_history.fetched_at <= EXCLUDED.fetched_at
					""")
			.param("accounts", accounts)
			.param("days", days)
			.update();
	}

	/**
	 * Creates the monthly partitions from this month to {@code partitions-ahead} months
	 * ahead; idempotent.
	 */
	@EventListener(ApplicationReadyEvent.class)
	@Scheduled(cron = "0 10 0 * * *", zone = "UTC")
	void createUpcomingPartitions() {
		LocalDate month = LocalDate.now(this.properties.marketZone()).withDayOfMonth(1);
		for (int i = 0; i <= this.properties.partitionsAhead(); i++, month = month.plusMonths(1)) {
			String name = "holdings_history_%d_%02d".formatted(month.getYear(), month.getMonthValue());
			try {
				this.jdbc
					.sql("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF holdings_history FOR VALUES FROM ('"
							+ month + "') TO ('" + month.plusMonths(1) + "')")
					.update();
			}
			catch (DataAccessException ex) {
				log.warn(
						"Could not create history partition {}: {}. Rows of that month land in holdings_history_default "
								+ "until it exists; move them out of the default partition and create it.",
						name, ex.getMostSpecificCause().getMessage());
			}
		}
	}

}
