package dev.plaidsync.portfolio;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.plaidsync.items.UserAccounts;
import dev.plaidsync.items.UserAccounts.UserAccount;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * One of the user's items with its accounts, and every account of the user's items: read
 * as the user (row-level security, and an owner filter). Another user's item answers 404,
 * exactly as an unknown one.
 */
@RestController
class ItemReadsController {

	private final CurrentUser currentUser;

	private final UserItems userItems;

	private final UserAccounts accounts;

	ItemReadsController(CurrentUser currentUser, UserItems userItems, UserAccounts accounts) {
		this.currentUser = currentUser;
		this.userItems = userItems;
		this.accounts = accounts;
	}

	@GetMapping("/api/plaid/items/{itemId}")
	ItemWithAccounts item(@AuthenticationPrincipal Jwt jwt, @PathVariable String itemId) {
		UUID userId = this.currentUser.id(jwt);
		UserItems.UserItem item = this.userItems.require(userId, itemId);
		return new ItemWithAccounts(item,
				this.accounts.ofItem(userId, itemId).stream().map(ItemReadsController::view).toList());
	}

	@GetMapping("/api/portfolio/accounts")
	AccountList accounts(@AuthenticationPrincipal Jwt jwt) {
		UUID userId = this.currentUser.id(jwt);
		return new AccountList(this.accounts.ofUser(userId).stream().map(ItemReadsController::view).toList());
	}

	static AccountView view(UserAccount account) {
		String currency = account.currency();
		return new AccountView(account.accountId(), account.itemId(), account.name(), account.officialName(),
				account.mask(), account.type(), account.subtype(), currency,
				Money.of(account.balanceCurrent(), currency), Money.of(account.balanceAvailable(), currency),
				PortfolioSummaries.time(account.balancesUpdatedAt()), account.active(),
				PortfolioSummaries.time(account.deactivatedAt()), account.deactivatedReason(),
				account.holdingsSuspect(), PortfolioSummaries.time(account.lastSynced()), account.syncStatus(),
				account.inPortfolio());
	}

	/**
	 * {@code GET /api/plaid/items/{itemId}}: the item as {@code GET /api/plaid/items}
	 * shows it (status, institution, last sync per product, last error, the user's
	 * action), with its accounts.
	 */
	record ItemWithAccounts(@JsonUnwrapped UserItems.UserItem item, List<AccountView> accounts) {
	}

	/** {@code GET /api/portfolio/accounts}: every account of the user's items. */
	record AccountList(List<AccountView> accounts) {
	}

	/**
	 * An account as Plaid last reported it; {@code in_portfolio}: an active investment
	 * account of an ACTIVE or NEEDS_USER item, which the portfolio counts.
	 */
	record AccountView(@JsonProperty("account_id") String accountId, @JsonProperty("item_id") String itemId,
			String name, @JsonProperty("official_name") String officialName, String mask, String type, String subtype,
			String currency, @JsonProperty("balances_current") Money balancesCurrent,
			@JsonProperty("balances_available") Money balancesAvailable,
			@JsonProperty("balances_updated_at") String balancesUpdatedAt, @JsonProperty("is_active") boolean active,
			@JsonProperty("deactivated_at") String deactivatedAt,
			@JsonProperty("deactivated_reason") String deactivatedReason,
			@JsonProperty("holdings_suspect") boolean holdingsSuspect, @JsonProperty("last_synced") String lastSynced,
			@JsonProperty("sync_status") String syncStatus, @JsonProperty("in_portfolio") boolean inPortfolio) {
	}

}
