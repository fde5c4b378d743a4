package dev.plaidsync.plaid;

/**
 * The Plaid endpoints the engine calls, with Plaid's production rate limits per minute
 * (docs/plaid.md, "Production rate limits"). A limit of 0 means Plaid publishes none, and
 * the budget does not meter it.
 */
enum PlaidEndpoint {

	HOLDINGS("/investments/holdings/get", 2_000, 15), TRANSACTIONS("/investments/transactions/get", 20_000, 30),
	ACCOUNTS("/accounts/get", 15_000, 15), BALANCE("/accounts/balance/get", 1_200, 5), ITEM_GET("/item/get", 5_000, 15),
	ITEM_REMOVE("/item/remove", 2_000, 30), ITEM_WEBHOOK_UPDATE("/item/webhook/update", 1_000, 30),
	INVESTMENTS_REFRESH("/investments/refresh", 0, 0), LINK_TOKEN_CREATE("/link/token/create", 0, 0),
	PUBLIC_TOKEN_EXCHANGE("/item/public_token/exchange", 0, 0),
	WEBHOOK_VERIFICATION_KEY("/webhook_verification_key/get", 0, 0), SANDBOX("/sandbox/*", 0, 0);

	private final String path;

	private final int defaultClientLimitPerMinute;

	private final int defaultItemLimitPerMinute;

	PlaidEndpoint(String path, int defaultClientLimitPerMinute, int defaultItemLimitPerMinute) {
		this.path = path;
		this.defaultClientLimitPerMinute = defaultClientLimitPerMinute;
		this.defaultItemLimitPerMinute = defaultItemLimitPerMinute;
	}

	public String path() {
		return this.path;
	}

	public String metricName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	int defaultClientLimitPerMinute() {
		return this.defaultClientLimitPerMinute;
	}

	int defaultItemLimitPerMinute() {
		return this.defaultItemLimitPerMinute;
	}

}
