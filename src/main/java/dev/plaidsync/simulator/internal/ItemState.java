package dev.plaidsync.simulator.internal;

import java.lang.ref.SoftReference;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimInstitution;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.simulator.SimTransaction;

final class ItemState {

	static final int HISTORY_DAYS = 731;

	/**
	 * The plan's positions are the positions at the end of this day. Transactions dated
	 * after it move them, so that holdings and transactions stay consistent across
	 * {@code day/advance}: a snapshot's quantity change equals the sum of the quantities
	 * traded between two days. A sell that would close or short a position is left out,
	 * and a withdrawal is cut to the cash held. Days up to it are history the plan's
	 * positions already contain. A removed transaction keeps its effect on holdings: that
	 * is how an institution that silently drops a transaction looks.
	 */
	static final LocalDate LEDGER_START = LocalDate.of(2026, 1, 1);

	static final Comparator<SimTransaction> NEWEST_FIRST = Comparator.comparing(SimTransaction::date)
		.reversed()
		.thenComparing(SimTransaction::investmentTransactionId);

	final UUID uuid;

	final String itemId;

	final SimInstitution institution;

	final String accessToken;

	private final Universe universe;

	private volatile SoftReference<ItemPlan> plan = new SoftReference<>(null);

	private volatile SoftReference<Ledger> ledger = new SoftReference<>(null);

	volatile String webhookUrl;

	volatile boolean removed;

	volatile boolean loginRequired;

	volatile boolean transactionsReady;

	volatile Instant lastSuccessfulUpdate;

	volatile Instant lastFailedUpdate;

	final Set<String> closedAccounts = ConcurrentHashMap.newKeySet();

	final Set<String> soldPositions = ConcurrentHashMap.newKeySet();

	final Set<String> removedTransactions = ConcurrentHashMap.newKeySet();

	final List<SimTransaction> addedTransactions = new CopyOnWriteArrayList<>();

	ItemState(UUID uuid, Universe universe, String webhookUrl, Instant linkedAt) {
		this.uuid = uuid;
		this.universe = universe;
		this.itemId = Ids.itemId(uuid);
		this.institution = Institutions.byIndex(Ids.institutionIndex(uuid));
		this.accessToken = Ids.accessToken(uuid);
		this.webhookUrl = webhookUrl;
		this.lastSuccessfulUpdate = linkedAt;
	}

	String itemId() {
		return itemId;
	}

	ItemPlan plan() {
		ItemPlan current = plan.get();
		if (current == null) {
			current = ItemPlan.of(uuid, universe);
			plan = new SoftReference<>(current);
		}
		return current;
	}

	List<ItemPlan.AccountPlan> openAccounts() {
		return plan().accounts().stream().filter(a -> !closedAccounts.contains(a.accountId())).toList();
	}

	ItemPlan.AccountPlan account(String accountId) {
		return openAccounts().stream()
			.filter(a -> a.accountId().equals(accountId))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("unknown or closed account_id " + accountId));
	}

	List<SimHolding> holdings(Universe universe, LocalDate today) {
		Set<String> open = openAccountIds();
		Map<String, BigDecimal> moved = ledger(universe, today).moved();
		List<SimHolding> result = new ArrayList<>();
		for (ItemPlan.HoldingPlan h : plan().holdings()) {
			String key = h.accountId() + "|" + h.security().securityId();
			if (!open.contains(h.accountId()) || soldPositions.contains(key)) {
				continue;
			}
			BigDecimal quantity = h.quantity().add(moved.getOrDefault(key, BigDecimal.ZERO));
			if (quantity.signum() == 0 && !h.security().cash()) {
				continue;
			}
			BigDecimal price = universe.price(h.security(), today);
			BigDecimal value = quantity.multiply(price).multiply(h.valueFactor()).setScale(2, RoundingMode.HALF_UP);
			BigDecimal costBasis = h.costFactor() == null ? null
					: quantity.multiply(BigDecimal.valueOf(h.security().basePrice()))
						.multiply(h.costFactor())
						.setScale(2, RoundingMode.HALF_UP);
			if (h.security().cash()) {
				costBasis = value;
			}
			result.add(new SimHolding(h.accountId(), h.security().securityId(), quantity, price, today,
					Universe.tradedOnExchange(h.security()) ? Universe.closeTime(today) : null, value, costBasis,
					h.security().currency(), null));
		}
		return result;
	}

	List<SimAccount> accounts(List<SimHolding> holdings, Universe universe) {
		List<SimAccount> result = new ArrayList<>();
		for (ItemPlan.AccountPlan a : openAccounts()) {
			BigDecimal current;
			BigDecimal available;
			if (a.investment()) {
				current = holdings.stream()
					.filter(h -> h.accountId().equals(a.accountId()))
					.map(SimHolding::institutionValue)
					.reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
				available = holdings.stream()
					.filter(h -> h.accountId().equals(a.accountId()) && universe.byId(h.securityId()).cash())
					.map(SimHolding::institutionValue)
					.reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
			}
			else {
				current = a.depositoryBalance();
				available = a.depositoryBalance();
			}
			result.add(new SimAccount(a.accountId(), a.name(), a.officialName(), a.mask(), a.type(), a.subtype(),
					current, available, a.currency()));
		}
		return result;
	}

	List<SimSecurity> securities(List<SimHolding> holdings, List<SimTransaction> transactions, Universe universe,
			LocalDate today) {
		Set<String> ids = new java.util.LinkedHashSet<>();
		holdings.forEach(h -> ids.add(h.securityId()));
		transactions.stream().map(SimTransaction::securityId).filter(java.util.Objects::nonNull).forEach(ids::add);
		return ids.stream().map(id -> universe.toSecurity(universe.byId(id), today)).toList();
	}

	List<SimTransaction> transactions(Universe universe, LocalDate today, LocalDate start, LocalDate end) {
		Set<String> open = openAccountIds();
		LocalDate first = today.minusDays(HISTORY_DAYS - 1L);
		LocalDate from = start.isBefore(first) ? first : start;
		LocalDate to = end.isAfter(today) ? today : end;
		List<SimTransaction> result = new ArrayList<>();
		ItemPlan current = plan();
		Map<String, List<ItemPlan.HoldingPlan>> positions = positions(current);
		Ledger moves = ledger(universe, today);
		for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
			List<SimTransaction> generated = day.isAfter(LEDGER_START) ? moves.byDay().getOrDefault(day, List.of())
					: generate(universe, current, positions, day);
			for (SimTransaction t : generated) {
				if (open.contains(t.accountId()) && !removedTransactions.contains(t.investmentTransactionId())) {
					result.add(t);
				}
			}
		}
		for (SimTransaction t : addedTransactions) {
			if (open.contains(t.accountId()) && !t.date().isBefore(start) && !t.date().isAfter(end)
					&& !removedTransactions.contains(t.investmentTransactionId())) {
				result.add(t);
			}
		}
		result.sort(NEWEST_FIRST);
		return result;
	}

	private record Ledger(LocalDate today, Map<LocalDate, List<SimTransaction>> byDay, Map<String, BigDecimal> moved) {
	}

	private static Map<String, List<ItemPlan.HoldingPlan>> positions(ItemPlan current) {
		Map<String, List<ItemPlan.HoldingPlan>> positions = new HashMap<>();
		for (ItemPlan.AccountPlan account : current.accounts()) {
			positions.put(account.accountId(),
					current.holdings()
						.stream()
						.filter(h -> h.accountId().equals(account.accountId()) && !h.security().cash())
						.toList());
		}
		return positions;
	}

	/**
	 * The transactions after {@link #LEDGER_START} up to today, applied to the plan's
	 * positions in order.
	 */
	private Ledger ledger(Universe universe, LocalDate today) {
		Ledger cached = ledger.get();
		if (cached != null && cached.today().equals(today)) {
			return cached;
		}
		ItemPlan current = plan();
		Map<String, List<ItemPlan.HoldingPlan>> positions = positions(current);
		Map<String, BigDecimal> held = new HashMap<>();
		current.holdings().forEach(h -> held.put(h.accountId() + "|" + h.security().securityId(), h.quantity()));
		Map<String, BigDecimal> moved = new HashMap<>();
		Map<LocalDate, List<SimTransaction>> byDay = new HashMap<>();
		for (LocalDate day = LEDGER_START.plusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
			List<SimTransaction> kept = new ArrayList<>();
			for (SimTransaction t : generate(universe, current, positions, day)) {
				if (t.securityId() == null || t.quantity().signum() == 0) {
					kept.add(t);
					continue;
				}
				String key = t.accountId() + "|" + t.securityId();
				BigDecimal position = held.getOrDefault(key, BigDecimal.ZERO);
				int after = position.add(t.quantity()).signum();
				SimTransaction applied = (after < 0 || (after == 0 && !"transfer".equals(t.type())))
						? capped(t, position) : t;
				if (applied == null) {
					continue;
				}
				held.put(key, position.add(applied.quantity()));
				moved.merge(key, applied.quantity(), BigDecimal::add);
				kept.add(applied);
			}
			if (!kept.isEmpty()) {
				byDay.put(day, List.copyOf(kept));
			}
		}
		Ledger computed = new Ledger(today, byDay, moved);
		ledger = new SoftReference<>(computed);
		return computed;
	}

	/**
	 * A withdrawal larger than the cash held, cut to it; null for a sell that would close
	 * or short the position (positions stay open, as the plan's account shapes assume) or
	 * when nothing is held.
	 */
	private static SimTransaction capped(SimTransaction t, BigDecimal position) {
		if (position.signum() <= 0 || !"transfer".equals(t.type())) {
			return null;
		}
		return new SimTransaction(t.investmentTransactionId(), t.accountId(), t.securityId(), t.date(), t.name(),
				position.negate(), position, t.price(), t.fees(), t.type(), t.subtype(), t.isoCurrencyCode(),
				t.transactionDatetime());
	}

	boolean hasTransaction(Universe universe, LocalDate today, String transactionId) {
		return transactions(universe, today, today.minusDays(HISTORY_DAYS), today).stream()
			.anyMatch(t -> t.investmentTransactionId().equals(transactionId));
	}

	private Set<String> openAccountIds() {
		Set<String> ids = new java.util.HashSet<>();
		openAccounts().forEach(a -> ids.add(a.accountId()));
		return ids;
	}

	private static List<SimTransaction> generate(Universe universe, ItemPlan plan,
			Map<String, List<ItemPlan.HoldingPlan>> positionsByAccount, LocalDate day) {
		List<SimTransaction> result = new ArrayList<>();
		for (ItemPlan.AccountPlan account : plan.accounts()) {
			if (!account.investment()) {
				continue;
			}
			SplittableRandom random = new SplittableRandom(Ids.mix(account.transactionSeed(), day.toEpochDay()));
			if (random.nextDouble() >= account.transactionsPerDay()) {
				continue;
			}
			int count = random.nextInt(5) == 0 ? 2 : 1;
			List<ItemPlan.HoldingPlan> positions = positionsByAccount.get(account.accountId());
			for (int k = 0; k < count; k++) {
				String id = Ids.plaidId("txn", account.accountId(), day.toEpochDay(), k);
				SimTransaction t = transaction(universe, account, positions, day, id, random);
				if ("cancel".equals(t.type())) {
					result.add(new SimTransaction(id, t.accountId(), t.securityId(), day,
							t.name().substring("CANCEL ".length()), t.quantity().negate(), t.amount().negate(),
							t.price(), t.fees(), "buy", "buy", t.isoCurrencyCode(), Universe.tradeTime(day, id)));
					String cancelId = Ids.plaidId("txn-cancel", account.accountId(), day.toEpochDay(), k);
					result.add(new SimTransaction(cancelId, t.accountId(), t.securityId(), day, t.name(), t.quantity(),
							t.amount(), t.price(), t.fees(), t.type(), t.subtype(), t.isoCurrencyCode(),
							Universe.tradeTime(day, cancelId)));
				}
				else {
					result.add(t);
				}
			}
		}
		return result;
	}

	private static SimTransaction transaction(Universe universe, ItemPlan.AccountPlan account,
			List<ItemPlan.HoldingPlan> positions, LocalDate day, String id, SplittableRandom random) {
		String currency = account.currency();
		int roll = random.nextInt(100);
		Universe.Definition security = positions.isEmpty() ? universe.cash(currency)
				: positions.get(random.nextInt(positions.size())).security();
		BigDecimal price = universe.price(security, day);
		BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(50))
			.multiply("derivative".equals(security.type()) ? BigDecimal.valueOf(100) : BigDecimal.ONE);
		BigDecimal fees = random.nextInt(3) == 0 ? new BigDecimal("4.95") : BigDecimal.ZERO.setScale(2);
		BigDecimal gross = quantity.multiply(price).setScale(2, RoundingMode.HALF_UP);
		if (roll < 35) {
			return new SimTransaction(id, account.accountId(), security.securityId(), day, "BUY " + security.name(),
					quantity, gross.add(fees), price, fees, "buy", "buy", currency, Universe.tradeTime(day, id));
		}
		if (roll < 55) {
			return new SimTransaction(id, account.accountId(), security.securityId(), day, "SELL " + security.name(),
					quantity.negate(), gross.subtract(fees).negate(), price, fees, "sell", "sell", currency,
					Universe.tradeTime(day, id));
		}
		if (roll < 75) {
			BigDecimal dividend = BigDecimal.valueOf(100 + random.nextInt(50_000), 2);
			return new SimTransaction(id, account.accountId(), security.securityId(), day,
					"DIVIDEND " + security.name(), BigDecimal.ZERO, dividend.negate(), BigDecimal.ZERO,
					BigDecimal.ZERO.setScale(2), "cash", "dividend", currency);
		}
		if (roll < 83) {
			BigDecimal fee = BigDecimal.valueOf(100 + random.nextInt(5_000), 2);
			return new SimTransaction(id, account.accountId(), null, day, "ACCOUNT MAINTENANCE FEE", BigDecimal.ZERO,
					fee, BigDecimal.ZERO, BigDecimal.ZERO.setScale(2), "fee", "account fee", currency);
		}
		if (roll < 95) {
			Universe.Definition cash = universe.cash(currency);
			BigDecimal amount = BigDecimal.valueOf(10_000 + random.nextInt(1_000_000), 2);
			boolean deposit = random.nextInt(3) != 0;
			return new SimTransaction(id, account.accountId(), cash.securityId(), day,
					deposit ? "TRANSFER IN" : "TRANSFER OUT", deposit ? amount : amount.negate(),
					deposit ? amount.negate() : amount, BigDecimal.ONE.setScale(2), BigDecimal.ZERO.setScale(2),
					"transfer", deposit ? "deposit" : "withdrawal", currency);
		}
		return new SimTransaction(id, account.accountId(), security.securityId(), day, "CANCEL BUY " + security.name(),
				quantity.negate(), gross.negate(), price, BigDecimal.ZERO.setScale(2), "cancel", "buy", currency);
	}

}
