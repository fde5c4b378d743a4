package dev.plaidsync.portfolio;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.items.ItemLinking;
import dev.plaidsync.items.ItemReconnection;
import dev.plaidsync.items.ItemRemoval;
import dev.plaidsync.items.LinkTokens;
import dev.plaidsync.items.UserRemoval;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Linking, repairing, listing and removing a user's brokerages (Plaid Items), and
 * deleting the user.
 */
@RestController
class PlaidItemsController {

	private final CurrentUser currentUser;

	private final UserItems userItems;

	private final LinkTokens linkTokens;

	private final ItemLinking linking;

	private final ItemReconnection reconnection;

	private final ItemRemoval removal;

	private final UserRemoval userRemoval;

	private final PortfolioCache cache;

	private final UserActionLimits limits;

	PlaidItemsController(CurrentUser currentUser, UserItems userItems, LinkTokens linkTokens, ItemLinking linking,
			ItemReconnection reconnection, ItemRemoval removal, UserRemoval userRemoval, PortfolioCache cache,
			UserActionLimits limits) {
		this.limits = limits;
		this.currentUser = currentUser;
		this.userItems = userItems;
		this.linkTokens = linkTokens;
		this.linking = linking;
		this.reconnection = reconnection;
		this.removal = removal;
		this.userRemoval = userRemoval;
		this.cache = cache;
	}

	@PostMapping("/api/plaid/link-token")
	NewItemLinkToken linkToken(@AuthenticationPrincipal Jwt jwt) {
		UUID userId = this.currentUser.id(jwt);
		this.limits.consume(userId, UserActionLimits.Action.LINK_TOKEN);
		LinkTokens.LinkToken token = this.linkTokens.forNewItem(userId);
		return new NewItemLinkToken(token.linkToken(), token.expiration(), token.accountSelectionEnabled());
	}

	@PostMapping("/api/plaid/items/{itemId}/link-token")
	UpdateModeLinkToken updateModeLinkToken(@AuthenticationPrincipal Jwt jwt, @PathVariable String itemId) {
		UUID userId = this.currentUser.id(jwt);
		this.limits.consume(userId, UserActionLimits.Action.LINK_TOKEN);
		this.userItems.require(userId, itemId);
		LinkTokens.LinkToken token = this.linkTokens.forUpdateMode(userId, itemId);
		return new UpdateModeLinkToken(token.linkToken(), token.expiration(), token.accountSelectionEnabled(), itemId,
				true);
	}

	@PostMapping("/api/plaid/items")
	ResponseEntity<UserItems.LinkedItemAnswer> link(@AuthenticationPrincipal Jwt jwt,
			@RequestBody PublicTokenRequest request) {
		UUID userId = this.currentUser.id(jwt);
		this.limits.consume(userId, UserActionLimits.Action.EXCHANGE);
		String publicToken = (request.publicToken() != null) ? request.publicToken().trim() : "";
		if (publicToken.isEmpty() || publicToken.length() > 200) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_public_token",
					"Send {\"public_token\": \"...\"} with the public token Link's onSuccess gave the app.");
		}
		ItemLinking.LinkResult result = this.linking.link(userId, publicToken);
		if (result instanceof ItemLinking.Duplicate duplicate) {
			throw new ApiException(HttpStatus.CONFLICT, "duplicate_item",
					"You already linked this login (same institution and accounts) as item "
							+ duplicate.existingItemId()
							+ ". The new link was removed at Plaid so that nothing is counted twice; use the existing item, "
							+ "or repair it with POST /api/plaid/items/" + duplicate.existingItemId() + "/link-token.")
				.with("existing_item_id", duplicate.existingItemId())
				.with("removed_item_id", duplicate.removedItemId());
		}
		ItemLinking.Linked linked = (ItemLinking.Linked) result;
		this.cache.evict(userId);
		UserItems.LinkedItemAnswer answer = new UserItems.LinkedItemAnswer(
				this.userItems.require(userId, linked.item().itemId()),
				linked.created() ? "STARTED" : "ALREADY_REQUESTED");
		return ResponseEntity.status(linked.created() ? HttpStatus.CREATED : HttpStatus.OK).body(answer);
	}

	@PostMapping("/api/plaid/items/{itemId}/reconnected")
	UserItems.ReconnectedItemAnswer reconnected(@AuthenticationPrincipal Jwt jwt, @PathVariable String itemId) {
		UUID userId = this.currentUser.id(jwt);
		this.limits.consume(userId, UserActionLimits.Action.RECONNECT);
		this.limits.consume(userId, UserActionLimits.Action.SYNC);
		String stillFailing;
		try {
			this.userItems.require(userId, itemId);
			stillFailing = this.reconnection.reconnected(userId, itemId);
		}
		catch (RuntimeException nothingSynced) {
			this.limits.refund(userId, UserActionLimits.Action.SYNC);
			throw nothingSynced;
		}
		if (stillFailing != null) {
			this.limits.refund(userId, UserActionLimits.Action.SYNC);
			throw new ApiException(HttpStatus.CONFLICT, "item_not_repaired",
					"Plaid still reports " + stillFailing + " for this item, so the repair did not take. Complete Link "
							+ "in update mode again (POST /api/plaid/items/" + itemId + "/link-token).")
				.with("plaid_error_code", stillFailing);
		}
		this.cache.evict(userId);
		return new UserItems.ReconnectedItemAnswer(this.userItems.require(userId, itemId), "STARTED");
	}

	@GetMapping("/api/plaid/items")
	UserItems.UserItemList items(@AuthenticationPrincipal Jwt jwt) {
		return new UserItems.UserItemList(this.userItems.list(this.currentUser.id(jwt)));
	}

	@DeleteMapping("/api/plaid/items/{itemId}")
	ItemRemovedByUser remove(@AuthenticationPrincipal Jwt jwt, @PathVariable String itemId) {
		UUID userId = this.currentUser.id(jwt);
		this.limits.consume(userId, UserActionLimits.Action.REMOVAL);
		this.userItems.require(userId, itemId);
		this.removal.remove(itemId, "USER_REQUESTED");
		this.cache.evict(userId);
		return new ItemRemovedByUser(itemId, "REMOVED");
	}

	@DeleteMapping("/api/me")
	UserDeleted deleteMe(@AuthenticationPrincipal Jwt jwt) {
		this.limits.consume(jwt.getSubject(), UserActionLimits.Action.REMOVAL);
		UUID userId = this.currentUser.id(jwt);
		int items = this.userRemoval.remove(userId);
		this.cache.evict(userId);
		return new UserDeleted(true, items);
	}

	record PublicTokenRequest(@JsonProperty("public_token") String publicToken) {
	}

	/** A Link token for a new item: the app opens Link with it. */
	record NewItemLinkToken(@JsonProperty("link_token") String linkToken, OffsetDateTime expiration,
			@JsonProperty("account_selection_enabled") boolean accountSelectionEnabled) {
	}

	/**
	 * A Link token that opens Link in update mode for {@code item_id}, to repair its
	 * login or share new accounts.
	 */
	record UpdateModeLinkToken(@JsonProperty("link_token") String linkToken, OffsetDateTime expiration,
			@JsonProperty("account_selection_enabled") boolean accountSelectionEnabled,
			@JsonProperty("item_id") String itemId, @JsonProperty("update_mode") boolean updateMode) {
	}

	record ItemRemovedByUser(@JsonProperty("item_id") String itemId, String status) {
	}

	record UserDeleted(boolean deleted, @JsonProperty("removed_items") int removedItems) {
	}

}
