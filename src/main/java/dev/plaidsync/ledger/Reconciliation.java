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

import dev.plaidsync.sync.HoldingsSnapshots;
import dev.plaidsync.sync.HoldingsSnapshots.SnapshotPosition;
import dev.plaidsync.sync.InvestmentTransactions;
import dev.plaidsync.sync.InvestmentTransactions.DayQuantity;
import dev.plaidsync.sync.PortfolioRefreshed;
import dev.plaidsync.sync.Securities;
import dev.plaidsync.sync.SyncedAccounts;
import dev.plaidsync.sync.SyncedAccounts.SyncedAccount;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks every investment account of a user: for each pair of consecutive daily snapshots
 * (holdings history) within the lookback, the quantity change of each security must equal
 * the sum of the quantities of the account's transactions dated after the first day up to
 * the second, within the rounding tolerance. Cash securities are left out: their quantity
 * moves with every trade's cash leg, which Plaid reports on the trade, not as a cash
 * transaction. A pair is judged only once the item's transactions were synced after the
 * later snapshot was fetched, so a transaction not fetched yet is never a break.
 * <p>
 * Runs after every sync that wrote a user's data ({@link PortfolioRefreshed}, on the node
 * that ran it), on one worker thread, one pending check per user. The account's breaks
 * are rewritten in one transaction that first locks its {@code reconciliation_checks}
 * row, so concurrent checks of one account serialise; a break keeps the time it was first
 * detected, and new breaks are published ({@link ReconciliationBreaksFound}) in that
 * transaction. Opposite breaks that net to zero within the settlement window are stored
 * as one {@code timing_difference}, never alerted nor published
 * ({@link SettlementTiming}).
 */
@Component
public class Reconciliation {

	private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final LedgerProperties properties;

	private final SyncedAccounts accounts;

	private final HoldingsSnapshots snapshots;

	private final InvestmentTransactions transactions;

	private final Securities securities;

	private final Counter found;

	private final Set<UUID> pending = ConcurrentHashMap.newKeySet();

	private final ExecutorService worker = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "reconciliation");
		thread.setDaemon(true);
		return thread;
	});

	private final ApplicationEventPublisher events;

	Reconciliation(JdbcClient jdbc, PlatformTransactionManager transactionManager, LedgerProperties properties,
			MeterRegistry meters, SyncedAccounts accounts, HoldingsSnapshots snapshots,
			InvestmentTransactions transactions, Securities securities, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
		this.accounts = accounts;
		this.snapshots = snapshots;
		this.transactions = transactions;
		this.securities = securities;
		this.transaction = new TransactionTemplate(transactionManager);
		this.properties = properties;
		this.found = Counter.builder("plaidsync.reconciliation.breaks.found")
			.description("Reconciliation breaks detected (a security's snapshot change differs from its transactions)")
			.register(meters);
	}

	/**
	 * A security of an account whose quantity change between two snapshots differs from
	 * its transactions.
	 */
	public record Break(String accountId, String securityId, LocalDate fromDay, LocalDate toDay,
			BigDecimal holdingsChange, BigDecimal transactionsQuantity, BigDecimal difference) {
	}

	/**
	 * The user's breaks now, each with its kind ({@code break} or
	 * {@code timing_difference}) and, for a break, the first day it alerts.
	 */
	public List<Classified> classifyUser(UUID userId) {
		return SettlementTiming
			.classify(reconcileUser(userId), this.properties.settlementBusinessDays(),
					this.properties.quantityTolerance())
			.stream()
			.map((c) -> new Classified(c.found(), c.kind(), c.alertsFrom()))
			.toList();
	}

	/** A break with its kind and, for a {@code break}, the first day it alerts. */
	public record Classified(Break found, String kind, LocalDate alertsFrom) {
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
		List<Break> breaks = new ArrayList<>();
		for (SyncedAccount account : this.accounts.investmentAccounts(userId)) {
			breaks.addAll(reconcileAccount(userId, account));
		}
		return breaks;
	}

	private List<Break> reconcileAccount(UUID userId, SyncedAccount account) {
		String accountId = account.accountId();
		OffsetDateTime transactionsSyncedAt = account.transactionsSyncedAt();
		LocalDate since = LocalDate.now(ZoneOffset.UTC).minusDays(this.properties.reconciliationLookback().toDays());
		Map<LocalDate, Snapshot> byDay = new TreeMap<>();
		for (SnapshotPosition position : this.snapshots.positions(account.key(), since)) {
			Snapshot snapshot = byDay.computeIfAbsent(position.day(),
					(key) -> new Snapshot(key, new HashMap<>(), position.fetchedAt()));
			if (position.securityId() != null) {
				snapshot.positions().merge(position.securityId(), position.quantity(), BigDecimal::add);
			}
		}
		List<Snapshot> snapshots = byDay.values()
			.stream()
			.filter((snapshot) -> transactionsSyncedAt != null && !snapshot.fetchedAt().isAfter(transactionsSyncedAt))
			.toList();
		List<Break> breaks = new ArrayList<>();
		LocalDate checkedThrough = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1).day();
		if (snapshots.size() >= 2) {
			Set<String> securities = new HashSet<>();
			snapshots.forEach((snapshot) -> securities.addAll(snapshot.positions().keySet()));
			Map<LocalDate, Map<String, BigDecimal>> traded = new TreeMap<>();
			for (DayQuantity day : this.transactions.quantitiesByDay(accountId, snapshots.get(0).day(),
					checkedThrough)) {
				securities.add(day.securityId());
				traded.computeIfAbsent(day.date(), (key) -> new HashMap<>())
					.put(day.securityId(), (day.quantity() != null) ? day.quantity() : BigDecimal.ZERO);
			}
			Set<String> cash = this.securities.cash(securities);
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
						breaks
							.add(new Break(accountId, security, before.day(), after.day(), change.stripTrailingZeros(),
									sum.stripTrailingZeros(), difference.stripTrailingZeros()));
					}
				}
			}
		}
		store(userId, account.itemId(), accountId, checkedThrough, breaks);
		return breaks;
	}

	private void store(UUID userId, String itemId, String accountId, LocalDate checkedThrough, List<Break> found) {
		List<SettlementTiming.Classified> breaks = SettlementTiming.classify(found,
				this.properties.settlementBusinessDays(), this.properties.quantityTolerance());
		int added = this.transaction.execute((status) -> {
			this.jdbc
				.sql("""
						INSERT INTO reconciliation_checks (account_id, checked_at, checked_through, breaks)
						VALUES (:accountId, now(), :through, :breaks)
						ON CONFLICT (account_id) DO UPDATE SET checked_at = now(), checked_through = EXCLUDED.checked_through,
						    breaks = EXCLUDED.breaks
						""")
				.param("accountId", accountId)
				.param("through", checkedThrough)
				.param("breaks", breaks.size())
				.update();
			Map<String, OffsetDateTime> known = new HashMap<>();
			this.jdbc.sql(
					"SELECT security_id, from_day, to_day, detected_at FROM reconciliation_breaks WHERE account_id = :accountId")
				.param("accountId", accountId)
				.query((rs) -> {
					known.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class) + "|"
							+ rs.getObject(3, LocalDate.class), rs.getObject(4, OffsetDateTime.class));
				});
			this.jdbc.sql("DELETE FROM reconciliation_breaks WHERE account_id = :accountId")
				.param("accountId", accountId)
				.update();
			List<Break> fresh = new ArrayList<>();
			for (SettlementTiming.Classified classified : breaks) {
				Break b = classified.found();
				OffsetDateTime detected = known.get(b.securityId() + "|" + b.fromDay() + "|" + b.toDay());
				if (detected == null && SettlementTiming.BREAK.equals(classified.kind())) {
					fresh.add(b);
				}
				this.jdbc.sql("""
						INSERT INTO reconciliation_breaks (account_id, security_id, from_day, to_day, user_id, item_id,
						    holdings_change, transactions_quantity, difference, detected_at, kind, alerts_from)
						VALUES (:accountId, :securityId, :from, :to, :userId, :itemId, :change, :sum, :difference,
						    coalesce(CAST(:detected AS timestamptz), now()), :kind, :alertsFrom)
						""")
					.param("accountId", accountId)
					.param("securityId", b.securityId())
					.param("from", b.fromDay())
					.param("to", b.toDay())
					.param("userId", userId)
					.param("itemId", itemId)
					.param("change", b.holdingsChange())
					.param("sum", b.transactionsQuantity())
					.param("difference", b.difference())
					.param("detected", detected)
					.param("kind", classified.kind())
					.param("alertsFrom", classified.alertsFrom())
					.update();
			}
			if (!fresh.isEmpty()) {
				this.events.publishEvent(new ReconciliationBreaksFound(userId, itemId, accountId, fresh));
			}
			return fresh.size();
		});
		if (added > 0) {
			this.found.increment(added);
			log.warn("Account {}: {} new reconciliation break(s): holdings moved without matching transactions",
					accountId, added);
		}
	}

	private record Snapshot(LocalDate day, Map<String, BigDecimal> positions, OffsetDateTime fetchedAt) {

		BigDecimal quantity(String securityId) {
			return this.positions.getOrDefault(securityId, BigDecimal.ZERO);
		}

	}

}
