package dev.plaidsync.portfolio;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 * A user's investment transactions and webhook events, read through their owners' query
 * types as the user (row-level security, with an owner filter too).
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
	 * Newest first, in a stable order, of the user's items that are not removed;
	 * {@code cancel} rows are kept as Plaid returned them, and marked.
	 */
	TransactionsPage transactions(UUID userId, LocalDate start, LocalDate end, String accountId, int page, int size) {
		TransactionPage found = this.session.read(userId, (jdbc) -> {
			List<String> itemIds = this.items.ofUser(userId).stream().map(LinkedItems.ItemSummary::itemId).toList();
			return this.transactions.page(userId, itemIds, start, end, accountId, page, size);
		});
		return new TransactionsPage(found.transactions().stream().map(UserHistory::transactionView).toList(),
				start.toString(), end.toString(), accountId, page, size, found.total(),
				(long) (page + 1) * size < found.total());
	}

	private static Transaction transactionView(StoredTransaction row) {
		String currency = row.currency();
		return new Transaction(row.investmentTransactionId(), row.accountId(), row.itemId(),
				PortfolioSummaries.time(row.date()), row.name(), row.type(), row.subtype(), "cancel".equals(row.type()),
				PortfolioSummaries.plain(row.quantity()), Money.UnitPrice.of(row.price(), currency),
				Money.of(row.fees(), currency), Money.of(row.amount(), currency), row.securityId(), row.tickerSymbol(),
				row.securityName(), row.securityType(), PortfolioSummaries.time(row.datetime()));
	}

	/** The user's own webhook events, newest first (their bodies are not shown). */
	List<UserWebhookEvent> webhookEvents(UUID userId, int limit) {
		return this.webhookEvents.forUser(userId, 0, limit).stream().map(UserHistory::eventView).toList();
	}

	private static UserWebhookEvent eventView(WebhookEvent event) {
		return new UserWebhookEvent(event.id().toString(), event.webhookType(), event.webhookCode(), event.itemId(),
				event.status(), event.statusReason(), event.success(), event.errorMessage(),
				PortfolioSummaries.time(event.createdAt()), PortfolioSummaries.time(event.processedAt()));
	}

	/**
	 * {@code GET /api/portfolio/transactions}: one page of the user's investment
	 * transactions in the window.
	 */
	record TransactionsPage(List<Transaction> transactions, @JsonProperty("start_date") String startDate,
			@JsonProperty("end_date") String endDate, @JsonProperty("account_id") String accountId, int page, int size,
			long total, @JsonProperty("has_more") boolean hasMore) {
	}

	/**
	 * An investment transaction as Plaid returned it; {@code is_cancel} marks a cancel
	 * row.
	 */
	record Transaction(@JsonProperty("investment_transaction_id") String investmentTransactionId,
			@JsonProperty("account_id") String accountId, @JsonProperty("item_id") String itemId, String date,
			String name, String type, String subtype, @JsonProperty("is_cancel") boolean isCancel, String quantity,
			Money.UnitPrice price, Money fees, Money amount, @JsonProperty("security_id") String securityId,
			String ticker, @JsonProperty("security_name") String securityName,
			@JsonProperty("security_type") String securityType,
			@JsonProperty("transaction_datetime") String transactionDatetime) {
	}

	/** {@code GET /api/webhook-events}: the user's webhook events, newest first. */
	record UserWebhookEvents(List<UserWebhookEvent> events) {
	}

	/**
	 * A webhook event about one of the user's items and what processing it did (its body
	 * is not shown).
	 */
	record UserWebhookEvent(String id, @JsonProperty("webhook_type") String webhookType,
			@JsonProperty("webhook_code") String webhookCode, @JsonProperty("item_id") String itemId, String status,
			@JsonProperty("status_reason") String statusReason, Boolean success,
			@JsonProperty("error_message") String errorMessage, @JsonProperty("received_at") String receivedAt,
			@JsonProperty("processed_at") String processedAt) {
	}

}
