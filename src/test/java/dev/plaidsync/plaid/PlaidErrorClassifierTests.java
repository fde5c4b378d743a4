package dev.plaidsync.plaid;

import dev.plaidsync.plaid.PlaidFailure.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlaidErrorClassifierTests {

	private static final ItemAccess ITEM = new ItemAccess("item-1", "ins_1", "access-sandbox-secret");

	@ParameterizedTest(name = "{1} ({0}, HTTP {2}) is {3}, retried now: {4}")
	@CsvSource({ "RATE_LIMIT_EXCEEDED, INVESTMENT_HOLDINGS_GET_LIMIT, 429, RATE_LIMITED, true",
			"RATE_LIMIT_EXCEEDED, ACCOUNTS_BALANCE_GET_LIMIT, 429, RATE_LIMITED, true",
			"RATE_LIMIT_EXCEEDED, INSTITUTION_RATE_LIMIT, 429, RATE_LIMITED, true",
			"RATE_LIMIT_EXCEEDED, SOME_FUTURE_LIMIT, 429, RATE_LIMITED, true",
			"API_ERROR, INTERNAL_SERVER_ERROR, 500, TRANSIENT, true",
			"API_ERROR, PLANNED_MAINTENANCE, 503, TRANSIENT, true",
			"INSTITUTION_ERROR, INSTITUTION_DOWN, 400, TRANSIENT, false",
			"INSTITUTION_ERROR, INSTITUTION_NOT_RESPONDING, 400, TRANSIENT, false",
			"INSTITUTION_ERROR, INSTITUTION_NOT_AVAILABLE, 400, TRANSIENT, false",
			"ITEM_ERROR, PRODUCT_NOT_READY, 400, PRODUCT_NOT_READY, false",
			"ITEM_ERROR, ITEM_LOGIN_REQUIRED, 400, ITEM_NEEDS_USER, false",
			"ITEM_ERROR, ITEM_LOCKED, 400, ITEM_NEEDS_USER, false",
			"ITEM_ERROR, PASSWORD_RESET_REQUIRED, 400, ITEM_NEEDS_USER, false",
			"ITEM_ERROR, USER_PERMISSION_REVOKED, 400, ITEM_NEEDS_USER, false",
			"ITEM_ERROR, ACCESS_NOT_GRANTED, 400, ITEM_NEEDS_USER, false",
			"ITEM_ERROR, NO_INVESTMENT_ACCOUNTS, 400, ITEM_NEEDS_USER, false",
			"INVALID_INPUT, INVALID_ACCESS_TOKEN, 400, ITEM_FAILED, false",
			"ITEM_ERROR, ITEM_NOT_FOUND, 400, ITEM_FAILED, false",
			"INSTITUTION_ERROR, INSTITUTION_NO_LONGER_SUPPORTED, 400, ITEM_FAILED, false",
			"INVALID_INPUT, INVALID_API_KEYS, 400, SYSTEMIC, false",
			"INVALID_INPUT, UNAUTHORIZED_ENVIRONMENT, 400, SYSTEMIC, false",
			"ITEM_ERROR, A_CODE_PLAID_ADDS_TOMORROW, 400, ITEM_FAILED, false" })
	void errorsAreClassifiedAsFactsSays(String type, String code, int status, Kind kind, boolean retryable) {
		PlaidFailure failure = PlaidErrorClassifier.classify(PlaidEndpoint.HOLDINGS, ITEM, status,
				new PlaidErrorBody(type, code, "message", null, "req-1"));

		assertThat(failure.kind()).isEqualTo(kind);
		assertThat(failure.retryable()).isEqualTo(retryable);
		assertThat(failure.errorCode()).isEqualTo(code);
		assertThat(failure.requestId()).isEqualTo("req-1");
		assertThat(failure.institutionId()).isEqualTo("ins_1");
		assertThat(failure.getMessage()).contains(code, "item-1", "req-1").doesNotContain("access-sandbox-secret");
	}

	@ParameterizedTest
	@CsvSource({ "502, TRANSIENT, true", "503, TRANSIENT, true", "429, RATE_LIMITED, true", "404, ITEM_FAILED, false" })
	void unparseableBodiesAreJudgedByStatus(int status, Kind kind, boolean retryable) {
		PlaidFailure failure = PlaidErrorClassifier.classify(PlaidEndpoint.HOLDINGS, ITEM, status, null);

		assertThat(failure.kind()).isEqualTo(kind);
		assertThat(failure.retryable()).isEqualTo(retryable);
		assertThat(failure.errorCode()).isEqualTo("HTTP_" + status);
	}

}
