package dev.plaidsync.items;

import java.util.UUID;

import com.plaid.client.model.ItemGetResponse;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The app's report that Link update mode succeeded. Plaid sends no LOGIN_REPAIRED webhook
 * for a repair made in the app, so this is how the engine learns it: the Item goes back
 * to ACTIVE, its new-accounts flag is cleared (update mode with account selection shared
 * them), and {@link ItemRepaired} makes it sync at once.
 */
@NamedInterface("users")
@Component
public class ItemReconnection {

	private static final Logger log = LoggerFactory.getLogger(ItemReconnection.class);

	private final PlaidGateway plaid;

	private final ItemCredentials credentials;

	private final ItemStatusChanges status;

	private final JdbcClient jdbc;

	ItemReconnection(PlaidGateway plaid, ItemCredentials credentials, ItemStatusChanges status, JdbcClient jdbc) {
		this.plaid = plaid;
		this.credentials = credentials;
		this.status = status;
		this.jdbc = jdbc;
	}

	/**
	 * Checks with Plaid ({@code /item/get}, not billed) that the login works, then
	 * reactivates the item and syncs it.
	 * @return the Plaid error code that still stands (the repair did not happen), or null
	 * when reconnected
	 * @throws PlaidRequestFailed when Plaid cannot say; nothing is changed then
	 */
	public String reconnected(UUID userId, String itemId) {
		ItemGetResponse item;
		try {
			item = this.plaid.item(this.credentials.find(itemId).orElseThrow(), CallPriority.INTERACTIVE);
		}
		catch (PlaidFailure failure) {
			throw PlaidRequestFailed.of(failure);
		}
		if (item.getItem().getError() != null && item.getItem().getError().getErrorCode() != null) {
			return item.getItem().getError().getErrorCode();
		}
		this.status.reactivate(itemId);
		this.jdbc.sql("UPDATE plaid_items SET new_accounts_available_at = NULL WHERE item_id = :itemId")
			.param("itemId", itemId)
			.update();
		log.info("Item {} was reconnected in the app; syncing it now", itemId);
		return null;
	}

}
