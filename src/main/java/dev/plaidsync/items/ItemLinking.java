package dev.plaidsync.items;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.ItemGetResponse;
import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a public token from Link into a stored Item: exchanges it, reads the Item's
 * institution and account masks, stores the access token encrypted, and publishes
 * {@link ItemLinked} so that its first syncs start.
 * <ul>
 * <li>Idempotent per public token: Plaid answers INVALID_PUBLIC_TOKEN to a second
 * exchange, so the engine remembers (by hash) which item each public token became, and
 * the same token twice gives the same answer.</li>
 * <li>A second link of a login the user already has (same {@code institution_id} and the
 * same set of account masks) is a duplicate: it would count every holding twice. The new
 * Item is removed at Plaid at once (so it is never billed), nothing is stored for it, and
 * the answer names the existing Item.</li>
 * <li>A failure after the exchange never loses the Item Plaid now bills: it is removed at
 * Plaid, or, if that fails too, its token stays kept (encrypted) and the same public
 * token sent again finishes the link.</li>
 * </ul>
 * Thread-safe; concurrent links of one user are serialised by a PostgreSQL advisory lock
 * on the user.
 */
@NamedInterface("users")
@Component
public class ItemLinking {

	private static final Logger log = LoggerFactory.getLogger(ItemLinking.class);

	private static final Duration CONCURRENT_EXCHANGE_WAIT = Duration.ofSeconds(20);

	private final PlaidGateway plaid;

	private final AccessTokenCipher cipher;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher events;

	ItemLinking(PlaidGateway plaid, AccessTokenCipher cipher, JdbcClient jdbc, TransactionTemplate transaction,
			ApplicationEventPublisher events) {
		this.plaid = plaid;
		this.cipher = cipher;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.events = events;
	}

	/**
	 * Links the Item behind {@code publicToken} for {@code userId}.
	 * @throws PlaidRequestFailed when Plaid refuses the exchange (INVALID_PUBLIC_TOKEN
	 * for an unknown or foreign token) or cannot be reached; nothing is stored then
	 */
	public LinkResult link(UUID userId, String publicToken) {
		try {
			return linkAtPlaid(userId, publicToken);
		}
		catch (PlaidFailure failure) {
			throw PlaidRequestFailed.of(failure);
		}
	}

	private LinkResult linkAtPlaid(UUID userId, String publicToken) {
		String tokenHash = sha256(publicToken);
		Optional<KeptExchange> kept = claimKeptExchange(userId, tokenHash);
		if (kept.isPresent()) {
			return finishKept(userId, tokenHash, kept.get());
		}
		Optional<LinkResult> earlier = claimOrRecall(userId, tokenHash);
		if (earlier.isPresent()) {
			return earlier.get();
		}
		try {
			return exchangeAndStore(userId, publicToken, tokenHash);
		}
		catch (RuntimeException ex) {
			this.jdbc.sql("""
					DELETE FROM plaid_public_token_exchanges
					WHERE public_token_sha256 = :hash AND item_id IS NULL AND access_token_ciphertext IS NULL
					""").param("hash", tokenHash).update();
			throw ex;
		}
	}

	/**
	 * Empty when this call owns the exchange; otherwise what the earlier exchange of the
	 * same token became.
	 */
	private Optional<LinkResult> claimOrRecall(UUID userId, String tokenHash) {
		boolean claimed = this.jdbc.sql("""
				INSERT INTO plaid_public_token_exchanges (public_token_sha256, user_id) VALUES (:hash, :userId)
				ON CONFLICT (public_token_sha256) DO NOTHING
				""").param("hash", tokenHash).param("userId", userId).update() == 1;
		if (claimed) {
			return Optional.empty();
		}
		Instant deadline = Instant.now().plus(CONCURRENT_EXCHANGE_WAIT);
		while (true) {
			Optional<Exchange> exchange = this.jdbc
				.sql("""
						SELECT user_id, item_id, duplicate_of FROM plaid_public_token_exchanges WHERE public_token_sha256 = :hash
						""")
				.param("hash", tokenHash)
				.query((row, number) -> new Exchange(row.getObject(1, UUID.class), row.getString(2), row.getString(3)))
				.optional();
			if (exchange.isEmpty()) {
				return claimOrRecall(userId, tokenHash);
			}
			if (!exchange.get().userId().equals(userId)) {
				throw invalidPublicToken();
			}
			if (exchange.get().itemId() != null) {
				return Optional.of(recall(exchange.get()));
			}
			if (Instant.now().isAfter(deadline)) {
				throw invalidPublicToken();
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while another request exchanged the same public token",
						ex);
			}
		}
	}

	private LinkResult recall(Exchange exchange) {
		if (exchange.duplicateOf() != null) {
			return new Duplicate(exchange.duplicateOf(), exchange.itemId());
		}
		NewlyLinkedItem item = this.jdbc.sql("""
				SELECT item_id, user_id, institution_id, institution_name FROM plaid_items WHERE item_id = :itemId
				""")
			.param("itemId", exchange.itemId())
			.query((row, number) -> new NewlyLinkedItem(row.getString(1), row.getObject(2, UUID.class),
					row.getString(3), row.getString(4)))
			.single();
		return new Linked(item, false);
	}

	/**
	 * Exchanges the public token, and from then on never loses the Item that Plaid now
	 * bills: its token is kept, encrypted, beside the exchange; should anything after the
	 * exchange fail, the Item is removed at Plaid, or, when even that fails, its token
	 * stays kept so that a retry of the same public token finishes the link.
	 */
	private LinkResult exchangeAndStore(UUID userId, String publicToken, String tokenHash) {
		ItemPublicTokenExchangeResponse exchanged = this.plaid.exchangePublicToken(publicToken);
		String itemId = exchanged.getItemId();
		EncryptedToken token = this.cipher.encrypt(itemId, exchanged.getAccessToken());
		this.jdbc
			.sql("""
					UPDATE plaid_public_token_exchanges SET exchanged_item_id = :itemId, access_token_ciphertext = :ciphertext,
					    access_token_key_id = :keyId
					WHERE public_token_sha256 = :hash
					""")
			.param("hash", tokenHash)
			.param("itemId", itemId)
			.param("ciphertext", token.ciphertext())
			.param("keyId", token.keyId())
			.update();
		return storeOrUndo(userId, tokenHash, new ItemAccess(itemId, null, exchanged.getAccessToken()), token);
	}

	private LinkResult finishKept(UUID userId, String tokenHash, KeptExchange kept) {
		String accessToken = this.cipher.decrypt(kept.itemId(), kept.token());
		log.info("Finishing the link of item {} whose exchange succeeded earlier but whose storing failed",
				kept.itemId());
		return storeOrUndo(userId, tokenHash, new ItemAccess(kept.itemId(), null, accessToken), kept.token());
	}

	private LinkResult storeOrUndo(UUID userId, String tokenHash, ItemAccess access, EncryptedToken token) {
		try {
			return store(userId, tokenHash, access, token);
		}
		catch (RuntimeException failure) {
			try {
				this.plaid.removeItem(access, CallPriority.INTERACTIVE);
				this.jdbc.sql(
						"DELETE FROM plaid_public_token_exchanges WHERE public_token_sha256 = :hash AND item_id IS NULL")
					.param("hash", tokenHash)
					.update();
				log.warn("Linking item {} failed after the exchange ({}); removed it at Plaid, so it is not billed",
						access.itemId(), failure.getMessage());
			}
			catch (PlaidFailure removal) {
				this.jdbc.sql("""
						UPDATE plaid_public_token_exchanges SET link_failed_at = now(), link_failure = :failure
						WHERE public_token_sha256 = :hash AND item_id IS NULL
						""").param("hash", tokenHash).param("failure", String.valueOf(failure.getMessage())).update();
				log.warn(
						"Linking item {} failed after the exchange ({}) and Plaid could not remove it ({}); its token is "
								+ "kept encrypted, and sending the same public token again finishes the link",
						access.itemId(), failure.getMessage(), removal.getMessage());
			}
			throw failure;
		}
	}

	/**
	 * An exchange that succeeded earlier for this user and token but whose storing
	 * failed: this call finishes it.
	 */
	private Optional<KeptExchange> claimKeptExchange(UUID userId, String tokenHash) {
		return this.jdbc
			.sql("""
					UPDATE plaid_public_token_exchanges SET link_failed_at = NULL
					WHERE public_token_sha256 = :hash AND user_id = :userId AND item_id IS NULL AND link_failed_at IS NOT NULL
					    AND access_token_ciphertext IS NOT NULL
					RETURNING exchanged_item_id, access_token_key_id, access_token_ciphertext
					""")
			.param("hash", tokenHash)
			.param("userId", userId)
			.query((row, number) -> new KeptExchange(row.getString(1),
					new EncryptedToken(row.getString(2), row.getBytes(3))))
			.optional();
	}

	private LinkResult store(UUID userId, String tokenHash, ItemAccess access, EncryptedToken token) {
		String itemId = access.itemId();
		ItemGetResponse item = this.plaid.item(access, CallPriority.INTERACTIVE);
		String institutionId = item.getItem().getInstitutionId();
		String institutionName = item.getItem().getInstitutionName();
		List<String> masks = this.plaid.accounts(access, CallPriority.INTERACTIVE)
			.getAccounts()
			.stream()
			.map(AccountBase::getMask)
			.map((mask) -> (mask != null) ? mask : "")
			.sorted()
			.toList();
		Optional<String> duplicateOf = this.transaction.execute((status) -> {
			this.jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:userId))")
				.param("userId", userId.toString())
				.query()
				.singleValue();
			Optional<String> existing = existingItemWithTheSameLogin(userId, itemId, institutionId, masks);
			if (existing.isPresent()) {
				recordExchange(tokenHash, itemId, existing.get());
				return existing;
			}
			this.jdbc
				.sql("""
						INSERT INTO plaid_items (item_id, user_id, institution_id, institution_name, access_token_ciphertext,
						    access_token_key_id, webhook_url, account_masks)
						VALUES (:itemId, :userId, :institutionId, :institutionName, :ciphertext, :keyId, :webhookUrl, :masks)
						ON CONFLICT (item_id) DO NOTHING
						""")
				.param("itemId", itemId)
				.param("userId", userId)
				.param("institutionId", institutionId)
				.param("institutionName", institutionName)
				.param("ciphertext", token.ciphertext())
				.param("keyId", token.keyId())
				.param("webhookUrl", item.getItem().getWebhook())
				.param("masks", masks.toArray(String[]::new))
				.update();
			recordExchange(tokenHash, itemId, null);
			this.events.publishEvent(new ItemLinked(itemId, userId));
			return Optional.<String>empty();
		});
		if (duplicateOf.isPresent()) {
			removeDuplicateAtPlaid(access, duplicateOf.get());
			return new Duplicate(duplicateOf.get(), itemId);
		}
		log.info("Linked item {} ({}) for user {}", itemId, institutionName, userId);
		return new Linked(new NewlyLinkedItem(itemId, userId, institutionId, institutionName), true);
	}

	private Optional<String> existingItemWithTheSameLogin(UUID userId, String newItemId, String institutionId,
			List<String> masks) {
		if (institutionId == null) {
			return Optional.empty();
		}
		return this.jdbc
			.sql("""
					SELECT i.item_id FROM plaid_items i
					WHERE i.user_id = :userId AND i.institution_id = :institutionId AND i.status <> 'REMOVED' AND i.item_id <> :newItemId
					AND coalesce(i.account_masks, ARRAY(SELECT coalesce(a.mask, '') FROM user_investment_accounts a
					                                    WHERE a.item_id = i.item_id ORDER BY 1)) = CAST(:masks AS text[])
					ORDER BY i.created_at, i.id LIMIT 1
					""")
			.param("userId", userId)
			.param("institutionId", institutionId)
			.param("newItemId", newItemId)
			.param("masks", masks.toArray(String[]::new))
			.query(String.class)
			.optional();
	}

	private void recordExchange(String tokenHash, String itemId, String duplicateOf) {
		this.jdbc
			.sql("""
					UPDATE plaid_public_token_exchanges SET item_id = :itemId, duplicate_of = :duplicateOf,
					    access_token_ciphertext = NULL, access_token_key_id = NULL, link_failed_at = NULL, link_failure = NULL
					WHERE public_token_sha256 = :hash
					""")
			.param("hash", tokenHash)
			.param("itemId", itemId)
			.param("duplicateOf", duplicateOf)
			.update();
	}

	private void removeDuplicateAtPlaid(ItemAccess access, String existingItemId) {
		try {
			this.plaid.removeItem(access, CallPriority.INTERACTIVE);
			log.info("Item {} duplicates item {} (same institution and account masks): removed it at Plaid",
					access.itemId(), existingItemId);
		}
		catch (PlaidFailure failure) {
			log.warn(
					"Item {} duplicates item {}, but Plaid could not remove it ({}); it is not stored, so remove it "
							+ "from the Plaid dashboard to stop its billing",
					access.itemId(), existingItemId, failure.getMessage());
		}
	}

	private static PublicTokenRejected invalidPublicToken() {
		return new PublicTokenRejected("This public token was already exchanged for another user, or its exchange did "
				+ "not finish in time. Open Link again for a new public token.");
	}

	static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is unavailable in this JVM", ex);
		}
	}

	private record Exchange(UUID userId, String itemId, String duplicateOf) {
	}

	private record KeptExchange(String itemId, EncryptedToken token) {
	}

	@NamedInterface("users")
	public record NewlyLinkedItem(String itemId, UUID userId, String institutionId, String institutionName) {
	}

	/** What linking a public token came to. */
	@NamedInterface("users")
	public sealed interface LinkResult permits Linked, Duplicate {

	}

	/**
	 * @param created false when this public token had been exchanged before and this is
	 * the same item again
	 */
	@NamedInterface("users")
	public record Linked(NewlyLinkedItem item, boolean created) implements LinkResult {
	}

	/**
	 * @param existingItemId the user's item for the same login
	 * @param removedItemId the new item, removed at Plaid and not stored
	 */
	@NamedInterface("users")
	public record Duplicate(String existingItemId, String removedItemId) implements LinkResult {
	}

}
