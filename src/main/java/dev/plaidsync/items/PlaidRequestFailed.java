package dev.plaidsync.items;

import dev.plaidsync.plaid.PlaidFailure;

import org.springframework.modulith.NamedInterface;

/**
 * A Plaid call made for a user or an operator (link, update mode, reconnect, remove,
 * freshness) did not succeed. Nothing was changed here. {@link #kind()} says what the
 * caller can do about it; {@link #errorCode()} is Plaid's {@code error_code}.
 */
@NamedInterface({ "users", "operations" })
public class PlaidRequestFailed extends RuntimeException {

	/** What the caller can do about the failure. */
	public enum Kind {

		/** The institution needs the user back in Link (update mode). */
		NEEDS_USER,

		/**
		 * Plaid, the network or the institution is busy or having trouble: the same
		 * request may pass later.
		 */
		RETRY_LATER,

		/** Plaid refused the request; repeating it as it is will not help. */
		REFUSED

	}

	private final Kind kind;

	private final String errorCode;

	private PlaidRequestFailed(Kind kind, PlaidFailure failure) {
		super(failure.getMessage(), failure);
		this.kind = kind;
		this.errorCode = failure.errorCode();
	}

	static PlaidRequestFailed of(PlaidFailure failure) {
		Kind kind = switch (failure.kind()) {
			case ITEM_NEEDS_USER -> Kind.NEEDS_USER;
			case RATE_LIMITED, TRANSIENT, PRODUCT_NOT_READY -> Kind.RETRY_LATER;
			default -> Kind.REFUSED;
		};
		return new PlaidRequestFailed(kind, failure);
	}

	public Kind kind() {
		return this.kind;
	}

	public String errorCode() {
		return this.errorCode;
	}

}
