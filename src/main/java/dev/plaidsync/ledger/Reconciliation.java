package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.sync.PortfolioRefreshed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks every investment account of a user: for each pair of consecutive daily snapshots (holdings history) within
 * the lookback, the quantity change of each security must equal the sum of the quantities of the account's
 * transactions dated after the first day up to the second, within the rounding tolerance. Cash securities are left
 * out: their quantity moves with every trade's cash leg, which Plaid reports on the trade, not as a cash transaction.
 * A pair is judged only once the item's transactions were synced after the later snapshot was fetched, so a
 * transaction not fetched yet is never a break.
 * <p>
 * Runs after every sync that wrote a user's data ({@link PortfolioRefreshed}, on the node that ran it), on one
 * worker thread, one pending check per user. The account's breaks are rewritten in one transaction that first locks
 * its {@code reconciliation_checks} row, so concurrent checks of one account serialise; a break keeps the time it was
 * first detected.
 */
@Component
public class Reconciliation {

	private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final LedgerProperties properties;

	private final Counter found;

	private final Set<UUID> pending = ConcurrentHashMap.newKeySet();

	private final ExecutorService worker = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "reconciliation");
		thread.setDaemon(true);
		return thread;
	});

	Reconciliation(JdbcClient jdbc, PlatformTransactionManager transactionManager, LedgerProperties properties,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.properties = properties;
		this.found = Counter.builder("plaidsync.reconciliation.breaks.found")
			.description("Reconciliation breaks detected (a security's snapshot change differs from its transactions)")
			.register(meters);
	}

	/** A security of an account whose quantity change between two snapshots differs from its transactions. */
	public record Break(String accountId, String securityId, LocalDate fromDay, LocalDate toDay, BigDecimal holdingsChange,
			BigDecimal transactionsQuantity, BigDecimal difference) {
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void portfolioRefreshed(PortfolioRefreshed refreshed) {
		UUID userId = refreshed.userId();
		if (this.pending.add(userId)) {
			this.worker.execute(() -> {
				this.pending.remove(userId);
				try {
					reconcileUser(userId);
				}
				catch (RuntimeException ex) {
					log.warn("Reconciliation of user {} failed: {}", userId, ex.toString());
				}
			});
		}
	}

	@PreDestroy
	void stop() {
		this.worker.shutdownNow();
	}

	/** Checks every investment account of the user now; returns the breaks found. */
	public List<Break> reconcileUser(UUID userId) {
		List<Map<String, Object>> accounts = this.jdbc.sql("""
				SELECT a.account_id, a.item_id, i.transactions_synced_at
				FROM user_investment_accounts a JOIN plaid_items i ON i.item_id = a.item_id
				WHERE a.user_id = :userId AND a.type = 'investment'
				ORDER BY a.account_id
				""").param("userId", userId).query().listOfRows();
		List<Break> breaks = new ArrayList<>();
		for (Map<String, Object> account : accounts) {
			breaks.addAll(reconcileAccount(userId, (String) account.get("account_id"), (String) account.get("item_id"),
					toOffset(account.get("transactions_synced_at"))));
		}
		return breaks;
	}

	private List<Break> reconcileAccount(UUID userId, String accountId, String itemId, OffsetDateTime transactionsSyncedAt) {
		LocalDate since = LocalDate.now(ZoneOffset.UTC).minusDays(this.properties.reconciliationLookback().toDays());
		Map<LocalDate, Snapshot> byDay = new TreeMap<>();
		this.jdbc.sql("""
				SELECT h.day, h.fetched_at, s.security_id, p.quantity
				FROM holdings_history h
				JOIN user_investment_accounts a ON a.id = h.account_key
				LEFT JOIN LATERAL unnest(h.security_keys, h.quantities) AS p (security_key, quantity) ON true
				LEFT JOIN history_securities s ON s.security_key = p.security_key
				WHERE a.account_id = :accountId AND h.day >= :since
				ORDER BY h.day
				""").param("accountId", accountId).param("since", since).query((rs) -> {
			LocalDate day = rs.getObject("day", LocalDate.class);
			OffsetDateTime fetchedAt = rs.getObject("fetched_at", OffsetDateTime.class);
			Snapshot snapshot = byDay.computeIfAbsent(day, (key) -> new Snapshot(key, new HashMap<>(), fetchedAt));
			String securityId = rs.getString("security_id");
			if (securityId != null) {
				snapshot.positions().merge(securityId, rs.getBigDecimal("quantity"), BigDecimal::add);
			}
		});
		List<Snapshot> snapshots = byDay.values().stream().filter((snapshot) -> transactionsSyncedAt != null
				&& !snapshot.fetchedAt().isAfter(transactionsSyncedAt)).toList();
		List<Break> breaks = new ArrayList<>();
		LocalDate checkedThrough = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1).day();
		if (snapshots.size() >= 2) {
			Set<String> securities = new HashSet<>();
			snapshots.forEach((snapshot) -> securities.addAll(snapshot.positions().keySet()));
			Map<LocalDate, Map<String, BigDecimal>> traded = new TreeMap<>();
			this.jdbc.sql("""
					SELECT date, security_id, sum(quantity) AS quantity FROM investment_transactions
					WHERE account_id = :accountId AND security_id IS NOT NULL AND date > :first AND date <= :last
					GROUP BY date, security_id
					""").param("accountId", accountId).param("first", snapshots.get(0).day()).param("last", checkedThrough)
				.query((rs) -> {
					BigDecimal quantity = rs.getBigDecimal("quantity");
					String securityId = rs.getString("security_id");
					securities.add(securityId);
					traded.computeIfAbsent(rs.getObject("date", LocalDate.class), (key) -> new HashMap<>())
						.put(securityId, (quantity != null) ? quantity : BigDecimal.ZERO);
				});
			Set<String> cash = new HashSet<>(this.jdbc.sql("""
					SELECT security_id FROM securities WHERE security_id = ANY (:ids) AND type = 'cash'
					""").param("ids", securities.toArray(String[]::new)).query(String.class).list());
			for (int k = 1; k < snapshots.size(); k++) {
				Snapshot before = snapshots.get(k - 1);
				Snapshot after = snapshots.get(k);
				Map<String, BigDecimal> sums = new HashMap<>();
				traded.forEach((day, bySecurity) -> {
					if (day.isAfter(before.day()) && !day.isAfter(after.day())) {
						bySecurity.forEach((security, quantity) -> sums.merge(security, quantity, BigDecimal::add));
					}
				});
				Set<String> involved = new HashSet<>(before.positions().keySet());
				involved.addAll(after.positions().keySet());
				involved.addAll(sums.keySet());
				for (String security : involved) {
					if (cash.contains(security)) {
						continue;
					}
					BigDecimal change = after.quantity(security).subtract(before.quantity(security));
					BigDecimal sum = sums.getOrDefault(security, BigDecimal.ZERO);
					BigDecimal difference = change.subtract(sum);
					if (difference.abs().compareTo(this.properties.quantityTolerance()) > 0) {
						breaks.add(new Break(accountId, security, before.day(), after.day(), change.stripTrailingZeros(),
								sum.stripTrailingZeros(), difference.stripTrailingZeros()));
					}
				}
			}
		}
		store(userId, itemId, accountId, checkedThrough, breaks);
		return breaks;
	}

	private void store(UUID userId, String itemId, String accountId, LocalDate checkedThrough, List<Break> breaks) {
		int added = this.transaction.execute((status) -> {
			this.jdbc.sql("""
					INSERT INTO reconciliation_checks (account_id, checked_at, checked_through, breaks)
					VALUES (:accountId, now(), :through, :breaks)
					ON CONFLICT (account_id) DO UPDATE SET checked_at = now(), checked_through = EXCLUDED.checked_through,
					    breaks = EXCLUDED.breaks
					""").param("accountId", accountId).param("through", checkedThrough).param("breaks", breaks.size()).update();
			Map<String, OffsetDateTime> known = new HashMap<>();
			this.jdbc.sql("SELECT security_id, from_day, to_day, detected_at FROM reconciliation_breaks WHERE account_id = :accountId")
				.param("accountId", accountId)
				.query((rs) -> {
					known.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class) + "|" + rs.getObject(3, LocalDate.class),
							rs.getObject(4, OffsetDateTime.class));
				});
			this.jdbc.sql("DELETE FROM reconciliation_breaks WHERE account_id = :accountId").param("accountId", accountId).update();
			int fresh = 0;
			for (Break b : breaks) {
				OffsetDateTime detected = known.get(b.securityId() + "|" + b.fromDay() + "|" + b.toDay());
				if (detected == null) {
					fresh++;
				}
				this.jdbc.sql("""
						INSERT INTO reconciliation_breaks (account_id, security_id, from_day, to_day, user_id, item_id,
						    holdings_change, transactions_quantity, difference, detected_at)
						VALUES (:accountId, :securityId, :from, :to, :userId, :itemId, :change, :sum, :difference,
						    coalesce(CAST(:detected AS timestamptz), now()))
						""").param("accountId", accountId).param("securityId", b.securityId()).param("from", b.fromDay())
					.param("to", b.toDay()).param("userId", userId).param("itemId", itemId)
					.param("change", b.holdingsChange()).param("sum", b.transactionsQuantity())
					.param("difference", b.difference()).param("detected", detected).update();
			}
			return fresh;
		});
		if (added > 0) {
			this.found.increment(added);
			log.warn("Account {}: {} new reconciliation break(s): holdings moved without matching transactions", accountId, added);
		}
	}

	private static OffsetDateTime toOffset(Object value) {
		if (value instanceof java.sql.Timestamp timestamp) {
			return timestamp.toInstant().atOffset(ZoneOffset.UTC);
		}
		return (OffsetDateTime) value;
	}

	private record Snapshot(LocalDate day, Map<String, BigDecimal> positions, OffsetDateTime fetchedAt) {

		BigDecimal quantity(String securityId) {
			return this.positions.getOrDefault(securityId, BigDecimal.ZERO);
		}

	}

}
