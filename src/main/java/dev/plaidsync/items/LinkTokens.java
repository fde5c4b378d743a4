package dev.plaidsync.items;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.plaid.client.model.LinkTokenCreateResponse;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Link tokens for the app: one to link a new Item (products investments, countries US and
 * CA, the configured webhook), and one in update mode to repair an Item's login, with
 * account selection on when Plaid reported new accounts. Plaid's {@code client_user_id}
 * is the engine's user id, never the login subject.
 */
@NamedInterface("users")
@Component
public class LinkTokens {

	private final PlaidGateway plaid;

	private final ItemCredentials credentials;

	private final JdbcClient jdbc;

	LinkTokens(PlaidGateway plaid, ItemCredentials credentials, JdbcClient jdbc) {
		this.plaid = plaid;
		this.credentials = credentials;
		this.jdbc = jdbc;
	}

	/**
	 * @throws PlaidRequestFailed when Plaid gives no link token
	 */
	public LinkToken forNewItem(UUID userId) {
		try {
			LinkTokenCreateResponse response = this.plaid.createLinkToken(userId.toString());
			return new LinkToken(response.getLinkToken(), response.getExpiration(), false);
		}
		catch (PlaidFailure failure) {
			throw PlaidRequestFailed.of(failure);
		}
	}

	/**
	 * The caller has checked that the item is the user's and not removed.
	 * @throws PlaidRequestFailed when Plaid gives no link token
	 */
	public LinkToken forUpdateMode(UUID userId, String itemId) {
		boolean accountSelection = this.jdbc
			.sql("SELECT new_accounts_available_at IS NOT NULL FROM plaid_items WHERE item_id = :itemId")
			.param("itemId", itemId)
			.query(Boolean.class)
			.single();
		try {
			LinkTokenCreateResponse response = this.plaid.createUpdateModeLinkToken(userId.toString(),
					this.credentials.find(itemId).orElseThrow(), accountSelection);
			return new LinkToken(response.getLinkToken(), response.getExpiration(), accountSelection);
		}
		catch (PlaidFailure failure) {
			throw PlaidRequestFailed.of(failure);
		}
	}

	public record LinkToken(String linkToken, OffsetDateTime expiration, boolean accountSelectionEnabled) {
	}

}
