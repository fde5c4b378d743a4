package dev.plaidsync.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The simulator's Java face, for tests in the same JVM. Every operation is also reachable
 * through {@code /simulator/control}. Items are named by item id or access token
 * ({@code itemRef}); an item is known once it was created or called with its access
 * token. All methods are thread safe. Webhooks are sent asynchronously: read
 * {@link #deliveries()} to see them.
 */
public interface PlaidSimulator {

	List<SimInstitution> institutions();

	/** Creates an item as /sandbox/public_token/create followed by an exchange would. */
	LinkedItem createItem(String institutionId, String overrideUsername, String webhookUrl);

	/**
	 * Holdings, accounts and securities as /investments/holdings/get answers them now.
	 */
	SimItem item(String itemRef);

	/**
	 * Transactions newest first, in the order /investments/transactions/get pages them.
	 */
	List<SimTransaction> transactions(String itemRef, LocalDate startDate, LocalDate endDate);

	LocalDate today();

	/**
	 * Advances the simulated day; prices move and new transactions appear. Sends no
	 * webhook.
	 */
	LocalDate advanceDays(int days);

	/** Puts the item in ITEM_LOGIN_REQUIRED and fires ITEM/ERROR. */
	void requireLogin(String itemRef);

	/** Repairs the login outside the app and fires ITEM/LOGIN_REPAIRED. */
	void repairLogin(String itemRef);

	/** Repairs the login through Link update mode: no webhook, as in Plaid. */
	void completeUpdateLink(String itemRef);

	/**
	 * Completes Link for a link token. A normal token returns a new public token
	 * (institution and username may be null for defaults); an update-mode token repairs
	 * the item and returns null.
	 */
	String completeLink(String linkToken, String institutionId, String overrideUsername);

	/**
	 * Fires an ITEM webhook: PENDING_DISCONNECT, PENDING_EXPIRATION,
	 * NEW_ACCOUNTS_AVAILABLE, USER_PERMISSION_REVOKED, USER_ACCOUNT_REVOKED (first
	 * account unless accountId is set), ERROR, LOGIN_REPAIRED or
	 * WEBHOOK_UPDATE_ACKNOWLEDGED.
	 */
	void fireItemWebhook(String itemRef, String webhookCode, String accountId);

	/**
	 * Adds a late posting dated {@code date} and fires
	 * INVESTMENTS_TRANSACTIONS/DEFAULT_UPDATE (1 new).
	 */
	SimTransaction addTransaction(String itemRef, String accountId, LocalDate date, BigDecimal amount);

	/**
	 * Removes a transaction and fires INVESTMENTS_TRANSACTIONS/DEFAULT_UPDATE (1
	 * cancelled).
	 */
	void removeTransaction(String itemRef, String investmentTransactionId);

	/** Sells a whole position: the holding disappears. Sends no webhook. */
	void sellPosition(String itemRef, String accountId, String securityId);

	/** Closes an account: it disappears from every response. */
	void closeAccount(String itemRef, String accountId);

	/** Fixes a security's price from now on, for every item. */
	void setPrice(String securityId, BigDecimal price);

	void fireHoldingsUpdate(String itemRef);

	void fireTransactionsUpdate(String itemRef, int newTransactions, int cancelledTransactions);

	/**
	 * Rotates the webhook signing key; returns the new kid. The old key stays served,
	 * with expired_at set.
	 */
	String rotateWebhookKey();

	String currentWebhookKeyId();

	/**
	 * Signs {@code body} exactly as webhooks are signed, with the current key and the
	 * current time, without sending it: for tests and load drivers that post webhooks
	 * themselves.
	 */
	SignedWebhook signWebhook(byte[] body);

	/**
	 * As {@link #signWebhook(byte[])}, with the given {@code iat}: for tests of stale and
	 * future tokens.
	 */
	SignedWebhook signWebhook(byte[] body, java.time.Instant issuedAt);

	/** While true, /webhook_verification_key/get answers 500. */
	void failWebhookKeyEndpoint(boolean fail);

	void setLatency(Duration latency, Duration jitter);

	void setErrorRates(double rate429, double rate500, double rateInstitutionDown);

	void setRateLimitsEnabled(boolean enabled);

	/** Overrides one limit; endpoint is a Plaid path, scope is "item" or "client". */
	void setRateLimit(String endpoint, String scope, int perMinute);

	/**
	 * Fault: every answer for this item (holdings, transactions, accounts) carries a NUL
	 * character in its text, which PostgreSQL cannot store, until switched off.
	 */
	void setUnstorableText(String itemRef, boolean enabled);

	/**
	 * From now on only this client id and secret are accepted; any other keys are
	 * answered 400 INVALID_API_KEYS, as Plaid does after a secret is rotated. Nulls go
	 * back to the default: any non-empty keys.
	 */
	void setAcceptedCredentials(String clientId, String secret);

	SimulatorStats stats();

	/**
	 * When the most recent calls to an endpoint (a Plaid path) arrived, oldest first: up
	 * to 10,000 since start or the last reset, rejected calls included. Enough to check a
	 * rate over any sliding window.
	 */
	List<Instant> callTimes(String endpoint);

	void resetStats();

	List<WebhookDelivery> deliveries();

}
