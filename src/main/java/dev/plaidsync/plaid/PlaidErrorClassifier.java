package dev.plaidsync.plaid;

import java.util.Set;

import dev.plaidsync.plaid.PlaidFailure.Kind;

/**
 * Maps Plaid's error bodies onto what the engine does about them, exactly as the table in
 * docs/plaid.md, "Errors", says. Rate limits are recognised by {@code error_type}, never
 * by a list of codes.
 */
final class PlaidErrorClassifier {

	static final String NETWORK_ERROR = "NETWORK_ERROR";

	private static final Set<String> INSTITUTION_TROUBLE = Set.of("INSTITUTION_DOWN", "INSTITUTION_NOT_RESPONDING",
			"INSTITUTION_NOT_AVAILABLE");

	private static final Set<String> NEEDS_USER = Set.of("ITEM_LOGIN_REQUIRED", "ITEM_LOCKED",
			"PASSWORD_RESET_REQUIRED", "USER_PERMISSION_REVOKED", "ACCESS_NOT_GRANTED", "NO_INVESTMENT_ACCOUNTS");

	private static final Set<String> PERMANENT_FOR_ITEM = Set.of("INVALID_ACCESS_TOKEN", "ITEM_NOT_FOUND",
			"INSTITUTION_NO_LONGER_SUPPORTED");

	private static final Set<String> SYSTEMIC = Set.of("INVALID_API_KEYS", "UNAUTHORIZED_ENVIRONMENT");

	private PlaidErrorClassifier() {
	}

	static PlaidFailure classify(PlaidEndpoint endpoint, ItemAccess item, int httpStatus, PlaidErrorBody error) {
		String type = (error != null) ? error.errorType() : null;
		String code = (error != null && error.errorCode() != null) ? error.errorCode() : "HTTP_" + httpStatus;
		String message = (error != null) ? error.errorMessage() : null;
		String requestId = (error != null) ? error.requestId() : null;
		Kind kind;
		boolean retryable = false;
		if ("RATE_LIMIT_EXCEEDED".equals(type) || (error == null && httpStatus == 429)) {
			kind = Kind.RATE_LIMITED;
			retryable = true;
		}
		else if ("API_ERROR".equals(type) || "PLANNED_MAINTENANCE".equals(code)
				|| (error == null && httpStatus >= 500)) {
			kind = Kind.TRANSIENT;
			retryable = true;
		}
		else if (INSTITUTION_TROUBLE.contains(code)) {
			kind = Kind.TRANSIENT;
		}
		else if ("PRODUCT_NOT_READY".equals(code)) {
			kind = Kind.PRODUCT_NOT_READY;
		}
		else if (NEEDS_USER.contains(code)) {
			kind = Kind.ITEM_NEEDS_USER;
		}
		else if (SYSTEMIC.contains(code)) {
			kind = Kind.SYSTEMIC;
		}
		else {
			kind = Kind.ITEM_FAILED;
		}
		return new PlaidFailure(kind, retryable, endpoint, type, code, message, requestId, item, null);
	}

	static PlaidFailure network(PlaidEndpoint endpoint, ItemAccess item, Exception cause) {
		return new PlaidFailure(Kind.TRANSIENT, true, endpoint, null, NETWORK_ERROR,
				cause.getClass().getSimpleName() + ": " + cause.getMessage(), null, item, cause);
	}

	static boolean isInstitutionScoped(String errorCode) {
		return INSTITUTION_TROUBLE.contains(errorCode) || "INSTITUTION_RATE_LIMIT".equals(errorCode);
	}

	static boolean needsUser(String errorCode) {
		return NEEDS_USER.contains(errorCode);
	}

	static boolean isPermanentForItem(String errorCode) {
		return PERMANENT_FOR_ITEM.contains(errorCode);
	}

}
