package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;

import org.springframework.stereotype.Component;

/** A user's investment transactions and webhook events, read in the user-scoped session with an owner filter too. */
@Component
class UserHistory {

	private final UserScopedSession session;

	UserHistory(UserScopedSession session) {
		this.session = session;
	}

	boolean ownsAccount(UUID userId, String accountId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT count(*) FROM user_investment_accounts WHERE user_id = :userId AND account_id = :accountId")
			.param("userId", userId)
			.param("accountId", accountId)
			.query(Long.class)
			.single() > 0);
	}

	/** Newest first, in a stable order; {@code cancel} rows are kept as Plaid returned them, and marked. */
	Map<String, Object> transactions(UUID userId, LocalDate start, LocalDate end, String accountId, int page, int size) {
		return this.session.read(userId, (jdbc) -> {
			String filter = """
					FROM investment_transactions t JOIN plaid_items i ON i.item_id = t.item_id
					LEFT JOIN securities s ON s.security_id = t.security_id
					WHERE t.user_id = :userId AND i.user_id = :userId AND i.status <> 'REMOVED'
					AND t.date BETWEEN :start AND :end AND (CAST(:accountId AS text) IS NULL OR t.account_id = :accountId)
					""";
			long total = jdbc.sql("SELECT count(*) " + filter)
				.param("userId", userId).param("start", start).param("end", end).param("accountId", accountId)
				.query(Long.class)
				.single();
			List<Map<String, Object>> rows = jdbc.sql("""
					SELECT t.investment_transaction_id, t.account_id, t.item_id, t.date, t.name, t.type, t.subtype, t.quantity,
					       t.price, t.fees, t.amount, coalesce(t.iso_currency_code, t.unofficial_currency_code) AS currency,
					       t.security_id, s.ticker_symbol, s.name AS security_name, s.type AS security_type
					""" + filter + " ORDER BY t.date DESC, t.investment_transaction_id LIMIT :limit OFFSET :offset")
				.param("userId", userId).param("start", start).param("end", end).param("accountId", accountId)
				.param("limit", size).param("offset", (long) page * size)
				.query()
				.listOfRows()
				.stream()
				.map(UserHistory::transactionView)
				.toList();
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("transactions", rows);
			answer.put("start_date", start.toString());
			answer.put("end_date", end.toString());
			answer.put("account_id", accountId);
			answer.put("page", page);
			answer.put("size", size);
			answer.put("total", total);
			answer.put("has_more", (long) (page + 1) * size < total);
			return answer;
		});
	}

	private static Map<String, Object> transactionView(Map<String, Object> row) {
		String currency = (String) row.get("currency");
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("investment_transaction_id", row.get("investment_transaction_id"));
		view.put("account_id", row.get("account_id"));
		view.put("item_id", row.get("item_id"));
		view.put("date", PortfolioSummaries.time(row.get("date")));
		view.put("name", row.get("name"));
		view.put("type", row.get("type"));
		view.put("subtype", row.get("subtype"));
		view.put("is_cancel", "cancel".equals(row.get("type")));
		view.put("quantity", PortfolioSummaries.plain((BigDecimal) row.get("quantity")));
		view.put("price", PortfolioSummaries.money((BigDecimal) row.get("price"), currency));
		view.put("fees", PortfolioSummaries.money((BigDecimal) row.get("fees"), currency));
		view.put("amount", PortfolioSummaries.money((BigDecimal) row.get("amount"), currency));
		view.put("security_id", row.get("security_id"));
		view.put("ticker", row.get("ticker_symbol"));
		view.put("security_name", row.get("security_name"));
		view.put("security_type", row.get("security_type"));
		return view;
	}

	/** The user's own webhook events, newest first (their bodies are not shown). */
	List<Map<String, Object>> webhookEvents(UUID userId, int limit) {
		return this.session.read(userId, (jdbc) -> jdbc.sql("""
				SELECT id, webhook_type, webhook_code, item_id, status, status_reason, success, error_message, created_at,
				       processed_at
				FROM plaid_webhook_events WHERE user_id = :userId ORDER BY created_at DESC, id LIMIT :limit
				""").param("userId", userId).param("limit", limit).query().listOfRows().stream().map((row) -> {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("id", row.get("id").toString());
			view.put("webhook_type", row.get("webhook_type"));
			view.put("webhook_code", row.get("webhook_code"));
			view.put("item_id", row.get("item_id"));
			view.put("status", row.get("status"));
			view.put("status_reason", row.get("status_reason"));
			view.put("success", row.get("success"));
			view.put("error_message", row.get("error_message"));
			view.put("received_at", PortfolioSummaries.time(row.get("created_at")));
			view.put("processed_at", PortfolioSummaries.time(row.get("processed_at")));
			return view;
		}).toList());
	}

}
