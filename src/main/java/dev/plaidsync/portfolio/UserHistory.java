package dev.plaidsync.portfolio;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.items.InvestmentAccounts;
import dev.plaidsync.items.LinkedItems;
import dev.plaidsync.sync.InvestmentTransactions;
import dev.plaidsync.sync.InvestmentTransactions.StoredTransaction;
import dev.plaidsync.sync.InvestmentTransactions.TransactionPage;
import dev.plaidsync.webhooks.WebhookEvent;
import dev.plaidsync.webhooks.WebhookEvents;

import org.springframework.stereotype.Component;

/**
 * A user's investment transactions and webhook events, read through their owners' query types as the user (row-level
 * security, with an owner filter too).
 */
@Component
class UserHistory {

	private final UserScopedSession session;

	private final InvestmentAccounts accounts;

	private final LinkedItems items;

	private final InvestmentTransactions transactions;

	private final WebhookEvents webhookEvents;

	UserHistory(UserScopedSession session, InvestmentAccounts accounts, LinkedItems items,
			InvestmentTransactions transactions, WebhookEvents webhookEvents) {
		this.session = session;
		this.accounts = accounts;
		this.items = items;
		this.transactions = transactions;
		this.webhookEvents = webhookEvents;
	}

	boolean ownsAccount(UUID userId, String accountId) {
		return this.accounts.owns(userId, accountId);
	}

	/**
	 * Newest first, in a stable order, of the user's items that are not removed; {@code cancel} rows are kept as Plaid
	 * returned them, and marked.
	 */
	Map<String, Object> transactions(UUID userId, LocalDate start, LocalDate end, String accountId, int page, int size) {
		TransactionPage found = this.session.read(userId, (jdbc) -> {
			List<String> itemIds = this.items.ofUser(userId).stream().map(LinkedItems.LinkedItem::itemId).toList();
			return this.transactions.page(userId, itemIds, start, end, accountId, page, size);
		});
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("transactions", found.transactions().stream().map(UserHistory::transactionView).toList());
		answer.put("start_date", start.toString());
		answer.put("end_date", end.toString());
		answer.put("account_id", accountId);
		answer.put("page", page);
		answer.put("size", size);
		answer.put("total", found.total());
		answer.put("has_more", (long) (page + 1) * size < found.total());
		return answer;
	}

	private static Map<String, Object> transactionView(StoredTransaction row) {
		String currency = row.currency();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("investment_transaction_id", row.investmentTransactionId());
		view.put("account_id", row.accountId());
		view.put("item_id", row.itemId());
		view.put("date", PortfolioSummaries.time(row.date()));
		view.put("name", row.name());
		view.put("type", row.type());
		view.put("subtype", row.subtype());
		view.put("is_cancel", "cancel".equals(row.type()));
		view.put("quantity", PortfolioSummaries.plain(row.quantity()));
		view.put("price", PortfolioSummaries.money(row.price(), currency));
		view.put("fees", PortfolioSummaries.money(row.fees(), currency));
		view.put("amount", PortfolioSummaries.money(row.amount(), currency));
		view.put("security_id", row.securityId());
		view.put("ticker", row.tickerSymbol());
		view.put("security_name", row.securityName());
		view.put("security_type", row.securityType());
		return view;
	}

	/** The user's own webhook events, newest first (their bodies are not shown). */
	List<Map<String, Object>> webhookEvents(UUID userId, int limit) {
		return this.webhookEvents.forUser(userId, 0, limit).stream().map(UserHistory::eventView).toList();
	}

	private static Map<String, Object> eventView(WebhookEvent event) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", event.id().toString());
		view.put("webhook_type", event.webhookType());
		view.put("webhook_code", event.webhookCode());
		view.put("item_id", event.itemId());
		view.put("status", event.status());
		view.put("status_reason", event.statusReason());
		view.put("success", event.success());
		view.put("error_message", event.errorMessage());
		view.put("received_at", PortfolioSummaries.time(event.createdAt()));
		view.put("processed_at", PortfolioSummaries.time(event.processedAt()));
		return view;
	}

}
