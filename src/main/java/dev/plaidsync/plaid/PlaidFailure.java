package dev.plaidsync.plaid;

/**
 * A Plaid call that did not succeed, classified by what the engine should do about it
 * (docs/plaid.md, "Errors"). Decisions are made on {@link #kind()}, never on the HTTP
 * status.
 */
public class PlaidFailure extends RuntimeException {

	/** What a failure means for the engine. */
	public enum Kind {

		/** Plaid's rate limit: back off and retry. */
		RATE_LIMITED,

		/** Plaid, the network or the institution is having trouble: retry later. */
		TRANSIENT,

		/** The item needs its user back in Link (update mode); never retried. */
		ITEM_NEEDS_USER,

		/** The product is not ready yet: wait for the webhook, or retry later. */
		PRODUCT_NOT_READY,

		/** This item failed for this run; not retried now. */
		ITEM_FAILED,

		/**
		 * Our own configuration is wrong (credentials, environment): fail the job, never
		 * blame the item.
		 */
		SYSTEMIC

	}

	private final Kind kind;

	private final PlaidEndpoint endpoint;

	private final String errorType;

	private final String errorCode;

	private final String requestId;

	private final String itemId;

	private final String institutionId;

	private final boolean retryable;

	PlaidFailure(Kind kind, boolean retryable, PlaidEndpoint endpoint, String errorType, String errorCode,
			String message, String requestId, ItemAccess item, Throwable cause) {
		super(describe(endpoint, errorCode, message, requestId, item), cause);
		this.kind = kind;
		this.retryable = retryable;
		this.endpoint = endpoint;
		this.errorType = errorType;
		this.errorCode = errorCode;
		this.requestId = requestId;
		this.itemId = (item != null) ? item.itemId() : null;
		this.institutionId = (item != null) ? item.institutionId() : null;
	}

	private static String describe(PlaidEndpoint endpoint, String errorCode, String message, String requestId,
			ItemAccess item) {
		StringBuilder text = new StringBuilder(endpoint.path()).append(" failed: ").append(errorCode);
		if (message != null && !message.isBlank()) {
			text.append(" (").append(message).append(')');
		}
		if (item != null) {
			text.append(" for item ").append(item.itemId());
		}
		if (requestId != null) {
			text.append(", request_id ").append(requestId);
		}
		return text.toString();
	}

	/**
	 * Whether Plaid's {@code error_code} means the item needs its user back in Link
	 * (docs/plaid.md, "Errors").
	 */
	public static boolean needsUser(String errorCode) {
		return PlaidErrorClassifier.needsUser(errorCode);
	}

	/**
	 * Whether Plaid's {@code error_code} means the item can never work again as it is.
	 */
	public static boolean permanentForItem(String errorCode) {
		return PlaidErrorClassifier.isPermanentForItem(errorCode);
	}

	/**
	 * Whether Plaid's {@code error_code} is one institution's trouble (down, not
	 * responding, rate-limiting): it fails that institution's items for now, and never
	 * says that the whole run is failing.
	 */
	public static boolean institutionScoped(String errorCode) {
		return PlaidErrorClassifier.isInstitutionScoped(errorCode);
	}

	public Kind kind() {
		return this.kind;
	}

	/**
	 * Whether the gateway retries it at once with backoff (rate limits, Plaid errors,
	 * network errors).
	 */
	public boolean retryable() {
		return this.retryable;
	}

	public PlaidEndpoint endpoint() {
		return this.endpoint;
	}

	public String errorType() {
		return this.errorType;
	}

	public String errorCode() {
		return this.errorCode;
	}

	public String requestId() {
		return this.requestId;
	}

	public String itemId() {
		return this.itemId;
	}

	public String institutionId() {
		return this.institutionId;
	}

}
