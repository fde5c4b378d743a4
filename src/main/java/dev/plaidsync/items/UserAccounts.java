package dev.plaidsync.items;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import org.jspecify.annotations.Nullable;

import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Every account of a user's items that are not removed (any type, active or not), as the
 * user sees them: read as the user (row-level security, plus an owner filter in the SQL),
 * joining the caller's user-scoped read when there is one. Read-only and thread-safe.
 */
@NamedInterface("users")
@Component
public class UserAccounts {

	private static final String SELECT = """
			SELECT a.account_id, a.item_id, a.name, a.official_name, a.mask, a.type, a.subtype, a.balance_current,
			       a.balance_available, coalesce(a.iso_currency_code, a.unofficial_currency_code, 'UNKNOWN') AS currency,
			       a.balances_updated_at, a.is_active, a.deactivated_at, a.deactivated_reason, a.holdings_suspect,
			       a.last_synced, a.sync_status, i.status AS item_status
			FROM user_investment_accounts a JOIN plaid_items i ON i.item_id = a.item_id
			WHERE a.user_id = :userId AND i.user_id = :userId AND i.status <> 'REMOVED'
			""";

	private final UserScopedSession session;

	UserAccounts(UserScopedSession session) {
		this.session = session;
	}

	/**
	 * An account as Plaid last reported it, and whether the portfolio counts it (an
	 * active investment account of an ACTIVE or NEEDS_USER item).
	 *
	 * @param currency the balances' currency, {@code UNKNOWN} when Plaid gave none
	 * @param syncStatus {@code pending}, {@code ok} or {@code error}
	 */
	public record UserAccount(String accountId, String itemId, @Nullable String name, @Nullable String officialName,
			@Nullable String mask, String type, @Nullable String subtype, @Nullable BigDecimal balanceCurrent,
			@Nullable BigDecimal balanceAvailable, String currency, @Nullable OffsetDateTime balancesUpdatedAt,
			boolean active, @Nullable OffsetDateTime deactivatedAt, @Nullable String deactivatedReason,
			boolean holdingsSuspect, @Nullable OffsetDateTime lastSynced, String syncStatus, String itemStatus) {

		public boolean inPortfolio() {
			return this.active && "investment".equals(this.type)
					&& ("ACTIVE".equals(this.itemStatus) || "NEEDS_USER".equals(this.itemStatus));
		}

	}

	/** The user's accounts, in the items' link order, then by name and id. */
	public List<UserAccount> ofUser(UUID userId) {
		return this.session.read(userId,
				(jdbc) -> jdbc.sql(SELECT + " ORDER BY i.created_at, i.id, a.name, a.account_id")
					.param("userId", userId)
					.query((row, number) -> account(row))
					.list());
	}

	/** The accounts of one of the user's items, by name and id (empty for another's). */
	public List<UserAccount> ofItem(UUID userId, String itemId) {
		return this.session.read(userId,
				(jdbc) -> jdbc.sql(SELECT + " AND a.item_id = :itemId ORDER BY a.name, a.account_id")
					.param("userId", userId)
					.param("itemId", itemId)
					.query((row, number) -> account(row))
					.list());
	}

	private static UserAccount account(java.sql.ResultSet row) throws java.sql.SQLException {
		return new UserAccount(row.getString("account_id"), row.getString("item_id"), row.getString("name"),
				row.getString("official_name"), row.getString("mask"), row.getString("type"), row.getString("subtype"),
				row.getBigDecimal("balance_current"), row.getBigDecimal("balance_available"), row.getString("currency"),
				row.getObject("balances_updated_at", OffsetDateTime.class), row.getBoolean("is_active"),
				row.getObject("deactivated_at", OffsetDateTime.class), row.getString("deactivated_reason"),
				row.getBoolean("holdings_suspect"), row.getObject("last_synced", OffsetDateTime.class),
				row.getString("sync_status"), row.getString("item_status"));
	}

}
