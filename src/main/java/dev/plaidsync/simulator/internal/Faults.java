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
			throw new IllegalArgumentException("no rate limit for endpoint " + endpoint + "; known: " + limits.keySet());
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
		return Map.of("latency_ms", latency.toMillis(), "latency_jitter_ms", jitter.toMillis(), "error_rate_429", rate429,
				"error_rate_500", rate500, "error_rate_institution_down", rateInstitutionDown, "rate_limits_enabled",
				rateLimitsEnabled, "limits", limitView, "rate_limit_window_ms", rateLimitWindowMillis);
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
		long millis = latency.toMillis() + extra.toMillis()
				+ (jitterMillis > 0 ? new SplittableRandom(Ids.mix(seed ^ 0x5DEECE66DL, dice.incrementAndGet()))
					.nextLong(jitterMillis + 1) : 0);
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
	 * Puts a NUL character, which a PostgreSQL text column refuses, into every account's official name and the first
	 * investment transaction's name of an answer, as a broken institution feed can.
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

}
