package dev.plaidsync.simulator.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.plaidsync.simulator.SimulatorProperties;

final class Faults {

	static final Map<String, String> LIMIT_CODES = Map.of("/investments/holdings/get", "INVESTMENT_HOLDINGS_GET_LIMIT",
			"/investments/transactions/get", "INVESTMENT_TRANSACTIONS_LIMIT", "/accounts/get", "ACCOUNTS_LIMIT",
			"/accounts/balance/get", "BALANCE_LIMIT", "/item/get", "ITEM_GET_LIMIT", "/item/remove", "RATE_LIMIT");

	private final Clock clock;

	private final long seed;

	private final AtomicLong dice = new AtomicLong();

	private final Map<String, int[]> limits = new ConcurrentHashMap<>();

	private final Map<String, java.util.ArrayDeque<Long>> windows = new ConcurrentHashMap<>();

	private volatile Duration latency;

	private volatile Duration jitter;

	private volatile double rate429;

	private volatile double rate500;

	private volatile double rateInstitutionDown;

	private volatile boolean rateLimitsEnabled;

	private final long rateLimitWindowMillis;

	/** Items whose answers carry text PostgreSQL cannot store (a NUL character). */
	private final java.util.Set<String> unstorableTextItems = ConcurrentHashMap.newKeySet();

	Faults(SimulatorProperties properties, Clock clock) {
		this.clock = clock;
		this.seed = properties.seed();
		this.latency = properties.latency();
		this.jitter = properties.latencyJitter();
		this.rate429 = properties.errorRate429();
		this.rate500 = properties.errorRate500();
		this.rateInstitutionDown = properties.errorRateInstitutionDown();
		this.rateLimitsEnabled = properties.rateLimitsEnabled();
		this.rateLimitWindowMillis = properties.limits().window().toMillis();
		SimulatorProperties.Limits l = properties.limits();
		limits.put("/investments/holdings/get", new int[] { l.holdingsPerItem(), l.holdingsPerClient() });
		limits.put("/investments/transactions/get", new int[] { l.transactionsPerItem(), l.transactionsPerClient() });
		limits.put("/accounts/get", new int[] { l.accountsPerItem(), l.accountsPerClient() });
		limits.put("/accounts/balance/get", new int[] { l.balancePerItem(), l.balancePerClient() });
		limits.put("/item/get", new int[] { l.itemGetPerItem(), l.itemGetPerClient() });
		limits.put("/item/remove", new int[] { l.itemRemovePerItem(), l.itemRemovePerClient() });
	}

	void setLatency(Duration latency, Duration jitter) {
		this.latency = latency;
		this.jitter = jitter;
	}

	void setErrorRates(double rate429, double rate500, double rateInstitutionDown) {
		this.rate429 = rate429;
		this.rate500 = rate500;
		this.rateInstitutionDown = rateInstitutionDown;
	}

	void setRateLimitsEnabled(boolean enabled) {
		this.rateLimitsEnabled = enabled;
	}

	void setRateLimit(String endpoint, String scope, int perMinute) {
		int[] limit = limits.get(endpoint);
		if (limit == null) {
			throw new IllegalArgumentException(
					"no rate limit for endpoint " + endpoint + "; known: " + limits.keySet());
		}
		switch (scope) {
			case "item" -> limit[0] = perMinute;
			case "client" -> limit[1] = perMinute;
			default -> throw new IllegalArgumentException("scope must be item or client, not " + scope);
		}
	}

	Map<String, Object> settings() {
		Map<String, Object> limitView = new java.util.TreeMap<>();
		limits.forEach((k, v) -> limitView.put(k, Map.of("per_item", v[0], "per_client", v[1])));
		return Map.of("latency_ms", latency.toMillis(), "latency_jitter_ms", jitter.toMillis(), "error_rate_429",
				rate429, "error_rate_500", rate500, "error_rate_institution_down", rateInstitutionDown,
				"rate_limits_enabled", rateLimitsEnabled, "limits", limitView, "rate_limit_window_ms",
				rateLimitWindowMillis);
	}

	void checkRateLimit(String endpoint, String clientId, String itemId) {
		int[] limit = limits.get(endpoint);
		if (!rateLimitsEnabled || limit == null) {
			return;
		}
		String code = LIMIT_CODES.get(endpoint);
		if (!admit(endpoint + "|client|" + clientId, limit[1])) {
			throw PlaidException.rateLimit(code, false);
		}
		if (itemId != null && !admit(endpoint + "|item|" + itemId, limit[0])) {
			throw PlaidException.rateLimit(code, true);
		}
	}

	private boolean admit(String key, int limit) {
		long now = clock.millis();
		java.util.ArrayDeque<Long> window = windows.computeIfAbsent(key, k -> new java.util.ArrayDeque<>());
		synchronized (window) {
			while (!window.isEmpty() && window.peekFirst() <= now - rateLimitWindowMillis) {
				window.pollFirst();
			}
			if (window.size() >= limit) {
				return false;
			}
			window.addLast(now);
			return true;
		}
	}

	void injectErrors(String endpoint) {
		SplittableRandom random = new SplittableRandom(Ids.mix(seed, dice.incrementAndGet()));
		double roll = random.nextDouble();
		if (roll < rate429) {
			throw PlaidException.rateLimit(LIMIT_CODES.getOrDefault(endpoint, "RATE_LIMIT"), false);
		}
		if (roll < rate429 + rate500) {
			throw PlaidException.internalServerError();
		}
		if (roll < rate429 + rate500 + rateInstitutionDown) {
			throw PlaidException.institutionDown();
		}
	}

	void sleepLatency(Duration extra) {
		long jitterMillis = jitter.toMillis();
		long millis = latency.toMillis() + extra.toMillis() + (jitterMillis > 0
				? new SplittableRandom(Ids.mix(seed ^ 0x5DEECE66DL, dice.incrementAndGet())).nextLong(jitterMillis + 1)
				: 0);
		if (millis <= 0) {
			return;
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// ---- per-item unstorable text

	void setUnstorableText(String itemId, boolean enabled) {
		if (enabled) {
			unstorableTextItems.add(itemId);
		}
		else {
			unstorableTextItems.remove(itemId);
		}
	}

	boolean unstorableText(String itemId) {
		return unstorableTextItems.contains(itemId);
	}

	/**
	 * Puts a NUL character, which a PostgreSQL text column refuses, into every account's
	 * official name and the first investment transaction's name of an answer, as a broken
	 * institution feed can.
	 */
	@SuppressWarnings("unchecked")
	static void addUnstorableText(Map<String, Object> body) {
		if (body.get("accounts") instanceof java.util.List<?> accounts) {
			accounts.forEach((account) -> spoil((Map<String, Object>) account, "official_name"));
		}
		if (body.get("investment_transactions") instanceof java.util.List<?> transactions && !transactions.isEmpty()) {
			spoil((Map<String, Object>) transactions.get(0), "name");
		}
	}

	private static void spoil(Map<String, Object> entry, String field) {
		Object text = entry.get(field);
		entry.put(field, ((text != null) ? text : "") + "\u0000 (unstorable)");
	}

	// ---- bad-day faults: per-institution outages, permanent item errors, empty windows,
	// totals moving mid-paging

	/** The error codes an institution outage may answer with. */
	static final java.util.Set<String> INSTITUTION_OUTAGE_CODES = java.util.Set.of("INSTITUTION_DOWN",
			"INSTITUTION_NOT_RESPONDING", "INSTITUTION_NOT_AVAILABLE", "INSTITUTION_RATE_LIMIT");

	/**
	 * The permanent item codes the simulator can answer for one item, with Plaid's
	 * error_type for each.
	 */
	static final Map<String, String> PERMANENT_ITEM_CODES = Map.of("ITEM_NOT_FOUND", "ITEM_ERROR",
			"INVALID_ACCESS_TOKEN", "INVALID_INPUT", "INSTITUTION_NO_LONGER_SUPPORTED", "INSTITUTION_ERROR");

	private final Map<String, String> institutionOutages = new ConcurrentHashMap<>();

	private final Map<String, String> permanentItemErrors = new ConcurrentHashMap<>();

	private final Map<String, Integer> emptyTransactionWindows = new ConcurrentHashMap<>();

	private final Map<String, Integer> totalChangesBetweenPages = new ConcurrentHashMap<>();

	/**
	 * Every data call for an item of this institution fails with {@code errorCode}; null
	 * ends the outage.
	 */
	void setInstitutionOutage(String institutionId, String errorCode) {
		if (Institutions.indexOf(institutionId) < 0) {
			throw new IllegalArgumentException("unknown institution_id " + institutionId);
		}
		if (errorCode == null) {
			institutionOutages.remove(institutionId);
			return;
		}
		if (!INSTITUTION_OUTAGE_CODES.contains(errorCode)) {
			throw new IllegalArgumentException("error_code must be one of "
					+ new java.util.TreeSet<>(INSTITUTION_OUTAGE_CODES) + ", not " + errorCode);
		}
		institutionOutages.put(institutionId, errorCode);
	}

	/**
	 * Every call with this item's access token fails with a permanent code; null heals
	 * it.
	 */
	void setPermanentItemError(String itemId, String errorCode) {
		if (errorCode == null) {
			permanentItemErrors.remove(itemId);
			return;
		}
		if (!PERMANENT_ITEM_CODES.containsKey(errorCode)) {
			throw new IllegalArgumentException("error_code must be one of "
					+ new java.util.TreeSet<>(PERMANENT_ITEM_CODES.keySet()) + ", not " + errorCode);
		}
		permanentItemErrors.put(itemId, errorCode);
	}

	/**
	 * The item's next {@code windows} transaction windows come back empty (total 0); 0
	 * ends it, -1 means until ended.
	 */
	void setEmptyTransactionWindows(String itemId, int windows) {
		setCountdown(emptyTransactionWindows, itemId, windows);
	}

	/**
	 * The item's next {@code times} pages at a non-zero offset see a new transaction
	 * arrive first, so the total moves.
	 */
	void setTotalChangesBetweenPages(String itemId, int times) {
		setCountdown(totalChangesBetweenPages, itemId, times);
	}

	void clearBadDayFaults() {
		institutionOutages.clear();
		permanentItemErrors.clear();
		emptyTransactionWindows.clear();
		totalChangesBetweenPages.clear();
	}

	Map<String, Object> badDaySettings() {
		return Map.of("institution_outages", new java.util.TreeMap<>(institutionOutages), "permanent_item_errors",
				new java.util.TreeMap<>(permanentItemErrors), "empty_transaction_windows",
				new java.util.TreeMap<>(emptyTransactionWindows), "total_changes_between_pages",
				new java.util.TreeMap<>(totalChangesBetweenPages));
	}

	/**
	 * Throws what an outage of the item's institution, or the item's permanent error,
	 * answers.
	 */
	void checkBadDay(String institutionId, String itemId) {
		String permanent = (itemId != null) ? permanentItemErrors.get(itemId) : null;
		if (permanent != null) {
			throw new PlaidException(400, PERMANENT_ITEM_CODES.get(permanent), permanent,
					"simulated permanent error for this item", null, "https://plaid.com/docs/errors/");
		}
		String outage = (institutionId != null) ? institutionOutages.get(institutionId) : null;
		if (outage == null) {
			return;
		}
		if ("INSTITUTION_RATE_LIMIT".equals(outage)) {
			throw new PlaidException(429, "RATE_LIMIT_EXCEEDED", outage,
					"rate limit exceeded for this institution. please try again later", null,
					"https://plaid.com/docs/errors/rate-limit-exceeded/");
		}
		throw new PlaidException(400, "INSTITUTION_ERROR", outage,
				"this institution is not currently responding to this request. please try again soon",
				"This financial institution is not currently responding to requests. We apologize for the inconvenience.",
				"https://plaid.com/docs/errors/institution/");
	}

	/**
	 * Whether this transactions call answers an empty window; consumes one when counted.
	 */
	boolean takeEmptyTransactionWindow(String itemId, int offset) {
		return offset == 0 ? take(emptyTransactionWindows, itemId) : emptyTransactionWindows.containsKey(itemId);
	}

	/**
	 * Whether a new transaction arrives before this page; only pages at a non-zero offset
	 * count.
	 */
	boolean takeTotalChange(String itemId, int offset) {
		return offset > 0 && take(totalChangesBetweenPages, itemId);
	}

	private static void setCountdown(Map<String, Integer> countdowns, String itemId, int times) {
		if (times < -1) {
			throw new IllegalArgumentException("times must be -1 (until ended), 0 (end) or a positive count");
		}
		if (times == 0) {
			countdowns.remove(itemId);
		}
		else {
			countdowns.put(itemId, times);
		}
	}

	private static boolean take(Map<String, Integer> countdowns, String itemId) {
		boolean[] taken = { false };
		countdowns.computeIfPresent(itemId, (id, left) -> {
			taken[0] = true;
			if (left == -1) {
				return left;
			}
			return (left > 1) ? Integer.valueOf(left - 1) : null;
		});
		return taken[0];
	}

}
