package dev.plaidsync.portfolio;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.items.LinkedItems;
import dev.plaidsync.items.UserAccounts;
import dev.plaidsync.sync.HeldSecurities;
import dev.plaidsync.sync.HeldSecurities.HeldSecurity;
import dev.plaidsync.sync.TransactionFeed;
import dev.plaidsync.sync.TransactionFeed.FeedTransaction;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The user's holdings per account (with the cost basis computed beside Plaid's, exactly
 * as {@code GET /api/portfolio} shows them, from the same cached summary), the securities
 * they hold or traded, and their investment transactions by keyset paging with filters.
 * Every read runs as the user (row-level security, and an owner filter).
 */
@RestController
class PortfolioReadsController {

	static final Set<String> TRANSACTION_TYPES = Set.of("buy", "sell", "cancel", "cash", "fee", "transfer");

	private static final int MAX_LIMIT = 500;

	private final CurrentUser currentUser;

	private final PortfolioCache cache;

	private final PortfolioSummaries summaries;

	private final EntityTags entityTags;

	private final UserScopedSession session;

	private final LinkedItems items;

	private final UserAccounts accounts;

	private final HeldSecurities securities;

	private final TransactionFeed feed;

	PortfolioReadsController(CurrentUser currentUser, PortfolioCache cache, PortfolioSummaries summaries,
			EntityTags entityTags, UserScopedSession session, LinkedItems items, UserAccounts accounts,
			HeldSecurities securities, TransactionFeed feed) {
		this.currentUser = currentUser;
		this.cache = cache;
		this.summaries = summaries;
		this.entityTags = entityTags;
		this.session = session;
		this.items = items;
		this.accounts = accounts;
		this.securities = securities;
		this.feed = feed;
	}

	/**
	 * With {@code If-None-Match} holding the answer's {@code ETag}: 304 while the
	 * holdings are unchanged.
	 */
	@GetMapping("/api/portfolio/holdings")
	ResponseEntity<HoldingsAnswer> holdings(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(name = "account_id", required = false) String accountId) {
		UUID userId = this.currentUser.id(jwt);
		PortfolioSummary summary = this.cache.get(userId, () -> this.summaries.summary(userId));
		List<PortfolioSummary.AccountHoldings> accounts = summary.accounts();
		if (accountId != null) {
			accounts = accounts.stream().filter((account) -> account.accountId().equals(accountId)).toList();
			if (accounts.isEmpty()) {
				throw unknownValue("account_id", accountId,
						summary.accounts().stream().map(PortfolioSummary.AccountHoldings::accountId).toList(),
						"the accounts the portfolio counts (GET /api/portfolio/accounts shows in_portfolio)");
			}
		}
		Set<String> itemIds = new TreeSet<>();
		accounts.forEach((account) -> itemIds.add(account.itemId()));
		return this.entityTags.tagged(new HoldingsAnswer(accounts,
				summary.items().stream().filter((item) -> itemIds.contains(item.itemId())).toList(),
				summary.generatedAt()), "generated_at");
	}

	@GetMapping("/api/portfolio/securities")
	SecurityList securities(@AuthenticationPrincipal Jwt jwt) {
		UUID userId = this.currentUser.id(jwt);
		return new SecurityList(
				this.securities.ofUser(userId, itemIds(userId)).stream().map(PortfolioReadsController::view).toList());
	}

	/**
	 * Newest first by date, then id, both descending; {@code next_cursor} continues after
	 * the page's last row. {@code type} takes several types, comma-separated.
	 */
	@GetMapping("/api/portfolio/investment-transactions")
	TransactionFeedPage transactions(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(name = "cursor", required = false) String cursor,
			@RequestParam(name = "limit", defaultValue = "100") int limit,
			@RequestParam(name = "account_id", required = false) String accountId,
			@RequestParam(name = "security_id", required = false) String securityId,
			@RequestParam(name = "type", required = false) String type,
			@RequestParam(name = "start_date",
					required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate startDate,
			@RequestParam(name = "end_date",
					required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate endDate) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_limit",
					"limit must be between 1 and " + MAX_LIMIT + ", got " + limit + ".");
		}
		if (startDate != null && endDate != null && startDate.isAfter(endDate)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_date_range",
					"start_date " + startDate + " is after end_date " + endDate + "; send start_date <= end_date.");
		}
		List<String> types = (type != null) ? types(type) : null;
		UUID userId = this.currentUser.id(jwt);
		return this.session.read(userId, (jdbc) -> {
			List<String> itemIds = itemIds(userId);
			if (accountId != null) {
				List<String> yours = this.accounts.ofUser(userId)
					.stream()
					.map(UserAccounts.UserAccount::accountId)
					.toList();
				if (!yours.contains(accountId)) {
					throw unknownValue("account_id", accountId, yours, "your accounts (GET /api/portfolio/accounts)");
				}
			}
			if (securityId != null) {
				List<String> yours = this.securities.ofUser(userId, itemIds)
					.stream()
					.map(HeldSecurity::securityId)
					.toList();
				if (!yours.contains(securityId)) {
					throw unknownValue("security_id", securityId, yours,
							"the securities you hold or traded (GET /api/portfolio/securities)");
				}
			}
			FeedFilters filters = new FeedFilters(accountId, securityId, types, text(startDate), text(endDate));
			String filterKey = filters.toString();
			TransactionCursor after = (cursor != null) ? TransactionCursor.decode(cursor, userId, filterKey) : null;
			List<FeedTransaction> rows = this.feed.read(userId,
					new TransactionFeed.Query(itemIds, accountId, securityId, types, startDate, endDate,
							(after != null) ? after.date() : null, (after != null) ? after.id() : null, limit + 1));
			boolean hasMore = rows.size() > limit;
			List<FeedTransaction> page = hasMore ? rows.subList(0, limit) : rows;
			String nextCursor = null;
			if (hasMore) {
				FeedTransaction last = page.get(page.size() - 1);
				nextCursor = new TransactionCursor(last.date(), last.investmentTransactionId()).encode(userId,
						filterKey);
			}
			return new TransactionFeedPage(page.stream().map(PortfolioReadsController::view).toList(), nextCursor,
					hasMore, limit, filters);
		});
	}

	private List<String> itemIds(UUID userId) {
		return this.items.ofUser(userId).stream().map(LinkedItems.ItemSummary::itemId).toList();
	}

	private static List<String> types(String type) {
		List<String> types = new ArrayList<>();
		for (String each : type.split(",", -1)) {
			String trimmed = each.trim();
			if (!TRANSACTION_TYPES.contains(trimmed)) {
				throw unknownValue("type", trimmed, TRANSACTION_TYPES,
						"Plaid's investment transaction types, " + "one or several separated by commas");
			}
			if (!types.contains(trimmed)) {
				types.add(trimmed);
			}
		}
		types.sort(null);
		return types;
	}

	/** A 400 naming the parameter, the value sent and the values it takes. */
	static ApiException unknownValue(String parameter, String value, java.util.Collection<String> accepted,
			String what) {
		List<String> sorted = new ArrayList<>(new TreeSet<>(accepted));
		String list = sorted.isEmpty() ? "(none: you have none yet)"
				: String.join(", ", (sorted.size() > 50) ? sorted.subList(0, 50) : sorted)
						+ ((sorted.size() > 50) ? ", … (" + sorted.size() + " in all)" : "");
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid_" + parameter, parameter + " '"
				+ ApiException.abbreviate(value) + "' is not accepted; it takes " + what + ": " + list + ".")
			.with("accepted", (sorted.size() > 50) ? sorted.subList(0, 50) : sorted);
	}

	private static String text(LocalDate date) {
		return (date != null) ? date.toString() : null;
	}

	private static SecurityView view(HeldSecurity security) {
		String currency = (security.currency() != null) ? security.currency() : "UNKNOWN";
		return new SecurityView(security.securityId(), security.tickerSymbol(), security.name(), security.type(),
				security.subtype(), Money.UnitPrice.of(security.closePrice(), currency),
				PortfolioSummaries.time(security.closePriceAsOf()), security.cashEquivalent(), security.isin(),
				security.cusip(), security.marketIdentifierCode(), security.currency(), security.held());
	}

	private static FeedTransactionView view(FeedTransaction row) {
		String currency = row.currency();
		return new FeedTransactionView(row.investmentTransactionId(), row.accountId(), row.itemId(),
				row.date().toString(), row.name(), row.type(), row.subtype(), "cancel".equals(row.type()),
				PortfolioSummaries.plain(row.quantity()), Money.UnitPrice.of(row.price(), currency),
				Money.of(row.fees(), currency), Money.of(row.amount(), currency), row.securityId(), row.tickerSymbol(),
				row.securityName(), row.securityType());
	}

	/**
	 * {@code GET /api/portfolio/holdings}: the accounts the portfolio counts with their
	 * holdings, and their items' as-of.
	 */
	record HoldingsAnswer(List<PortfolioSummary.AccountHoldings> accounts, List<PortfolioSummary.ItemAsOf> items,
			@JsonProperty("generated_at") String generatedAt) {
	}

	/** {@code GET /api/portfolio/securities}. */
	record SecurityList(List<SecurityView> securities) {
	}

	/** A security as Plaid last described it; {@code held}: the user holds it now. */
	record SecurityView(@JsonProperty("security_id") String securityId, String ticker, String name, String type,
			String subtype, @JsonProperty("close_price") Money.UnitPrice closePrice,
			@JsonProperty("close_price_as_of") String closePriceAsOf,
			@JsonProperty("is_cash_equivalent") Boolean cashEquivalent, String isin, String cusip,
			@JsonProperty("market_identifier_code") String marketIdentifierCode, String currency, boolean held) {
	}

	/**
	 * {@code GET /api/portfolio/investment-transactions}: one page; {@code next_cursor}
	 * (null on the last page) gives the next with the same filters.
	 */
	record TransactionFeedPage(List<FeedTransactionView> transactions, @JsonProperty("next_cursor") String nextCursor,
			@JsonProperty("has_more") boolean hasMore, int limit, FeedFilters filters) {
	}

	/** The filters a page was read with. */
	record FeedFilters(@JsonProperty("account_id") String accountId, @JsonProperty("security_id") String securityId,
			List<String> types, @JsonProperty("start_date") String startDate,
			@JsonProperty("end_date") String endDate) {
	}

	/**
	 * An investment transaction as Plaid returned it; {@code is_cancel} marks a cancel
	 * row.
	 */
	record FeedTransactionView(@JsonProperty("investment_transaction_id") String investmentTransactionId,
			@JsonProperty("account_id") String accountId, @JsonProperty("item_id") String itemId, String date,
			String name, String type, String subtype, @JsonProperty("is_cancel") boolean isCancel, String quantity,
			Money.UnitPrice price, Money fees, Money amount, @JsonProperty("security_id") String securityId,
			String ticker, @JsonProperty("security_name") String securityName,
			@JsonProperty("security_type") String securityType) {
	}

}
