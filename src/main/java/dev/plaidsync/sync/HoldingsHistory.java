package dev.plaidsync.sync;

import java.time.LocalDate;
import java.util.Collection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps one row per investment account and market day in {@code holdings_history}: the day's positions (security ids,
 * quantities, institution values) and the account's total value per currency. Called by the holdings writer, in its
 * chunk transaction, for the accounts whose holdings it has just replaced; the row is upserted, so the last write of a
 * market day wins and a restarted chunk writes nothing twice.
 * <p>
 * The market day of a snapshot is the newest {@code institution_price_as_of} among the account's holdings (the close
 * the values are from: a Saturday fetch belongs to Friday); an account without holdings or prices takes the date, in
 * {@code plaidsync.history.market-zone}, of its fetch.
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

	void recordDay(Collection<String> replacedAccounts) {
		if (replacedAccounts.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				WITH positions AS (
				    SELECT account_id, security_id, quantity, institution_value, institution_price_as_of, synced_at,
				           coalesce(iso_currency_code, unofficial_currency_code, 'XXX') AS currency
				    FROM holdings WHERE account_id = ANY (:accounts)
				), totals AS (
				    SELECT account_id, array_agg(currency ORDER BY currency) AS currencies, array_agg(total ORDER BY currency) AS totals
				    FROM (SELECT account_id, currency, sum(institution_value) AS total FROM positions GROUP BY account_id, currency) t
				    GROUP BY account_id
				), days AS (
				    SELECT account_id, array_agg(security_id ORDER BY security_id) AS security_ids,
				           array_agg(quantity ORDER BY security_id) AS quantities,
				           array_agg(institution_value ORDER BY security_id) AS institution_values,
				           max(institution_price_as_of) AS as_of, max(synced_at) AS fetched_at
				    FROM positions GROUP BY account_id
				)
				INSERT INTO holdings_history (account_id, day, user_id, item_id, total_currencies, total_values, security_ids,
				    quantities, institution_values, fetched_at)
				SELECT a.account_id,
				       coalesce(d.as_of, (coalesce(d.fetched_at, a.last_synced, now()) AT TIME ZONE :zone)::date),
				       a.user_id, a.item_id, coalesce(t.currencies, '{}'), coalesce(t.totals, '{}'),
				       coalesce(d.security_ids, '{}'), coalesce(d.quantities, '{}'), coalesce(d.institution_values, '{}'),
				       coalesce(d.fetched_at, a.last_synced, now())
				FROM user_investment_accounts a
				LEFT JOIN days d ON d.account_id = a.account_id
				LEFT JOIN totals t ON t.account_id = a.account_id
				WHERE a.account_id = ANY (:accounts)
				ORDER BY a.account_id
				ON CONFLICT (account_id, day) DO UPDATE SET total_currencies = EXCLUDED.total_currencies,
				    total_values = EXCLUDED.total_values, security_ids = EXCLUDED.security_ids,
				    quantities = EXCLUDED.quantities, institution_values = EXCLUDED.institution_values,
				    fetched_at = EXCLUDED.fetched_at
				""")
			.param("accounts", replacedAccounts.toArray(String[]::new))
			.param("zone", this.properties.marketZone().getId())
			.update();
	}

	/** Creates the monthly partitions from this month to {@code partitions-ahead} months ahead; idempotent. */
	@EventListener(ApplicationReadyEvent.class)
	@Scheduled(cron = "0 10 0 * * *", zone = "UTC")
	void createUpcomingPartitions() {
		LocalDate month = LocalDate.now(this.properties.marketZone()).withDayOfMonth(1);
		for (int i = 0; i <= this.properties.partitionsAhead(); i++, month = month.plusMonths(1)) {
			String name = "holdings_history_%d_%02d".formatted(month.getYear(), month.getMonthValue());
			try {
				this.jdbc.sql("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF holdings_history FOR VALUES FROM ('"
						+ month + "') TO ('" + month.plusMonths(1) + "')").update();
			}
			catch (DataAccessException ex) {
				log.warn("Could not create history partition {}: {}. Rows of that month land in holdings_history_default "
						+ "until it exists; move them out of the default partition and create it.", name,
						ex.getMostSpecificCause().getMessage());
			}
		}
	}

}
