package dev.plaidsync.items;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The access-token keys as operators see them: which key encrypts, which items' tokens no
 * configured key can read, and the per-item work of moving every token to the current key
 * so that old keys can be retired (the job runtime's {@code tokenReencryptJob} pages
 * through {@link #tokensNotUnder} and calls {@link #reencrypted} and
 * {@link #storeReencrypted} for each).
 */
@NamedInterface("maintenance")
@Component
public class AccessTokenKeys {

	private final AccessTokenCipher cipher;

	private final JdbcClient jdbc;

	AccessTokenKeys(AccessTokenCipher cipher, JdbcClient jdbc) {
		this.cipher = cipher;
		this.jdbc = jdbc;
	}

	public String currentKeyId() {
		return this.cipher.currentKeyId();
	}

	/**
	 * Items (not removed) whose token was stored under a key id
	 * {@code PLAIDSYNC_TOKEN_KEY} no longer lists, by id, and how many there are.
	 * Index-backed at any fleet size: the key ids in use are found by skipping through
	 * {@code idx_plaid_items_token_key} (one probe per distinct key), then only the items
	 * of missing keys are read, each key's in id order up to the end of the page.
	 */
	public Page<UnreadableToken> itemsWithUnreadableTokens(PageRequest request) {
		String[] keys = this.cipher.keyIds().toArray(String[]::new);
		List<UnreadableToken> items = this.jdbc
			.sql(MISSING_KEYS
					+ """
							SELECT i.item_id, i.user_id, i.institution_id, i.status, i.access_token_key_id AS missing_key_id, i.updated_at
							FROM missing m
							JOIN LATERAL (SELECT * FROM plaid_items p WHERE p.access_token_key_id = m.key_id AND p.status <> 'REMOVED'
							              ORDER BY p.id LIMIT :through) i ON true
							ORDER BY i.id LIMIT :limit OFFSET :offset
							""")
			.param("keys", keys)
			.param("through", request.offset() + request.size())
			.param("limit", request.size())
			.param("offset", request.offset())
			.query(UnreadableToken.class)
			.list();
		long counted = this.jdbc
			.sql(MISSING_KEYS
					+ """
							SELECT count(*) FROM missing m
							JOIN LATERAL (SELECT 1 FROM plaid_items p WHERE p.access_token_key_id = m.key_id AND p.status <> 'REMOVED'
							              LIMIT :cap) i ON true
							""")
			.param("keys", keys)
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
		return Page.of(items, counted);
	}

	private static final String MISSING_KEYS = """
			WITH RECURSIVE present (key_id) AS (
			    (SELECT access_token_key_id FROM plaid_items WHERE status <> 'REMOVED'
			     ORDER BY access_token_key_id LIMIT 1)
			    UNION ALL
			    SELECT (SELECT i.access_token_key_id FROM plaid_items i
			            WHERE i.status <> 'REMOVED' AND i.access_token_key_id > p.key_id
			            ORDER BY i.access_token_key_id LIMIT 1)
			    FROM present p WHERE p.key_id IS NOT NULL
			), missing AS (
			    SELECT key_id FROM present WHERE key_id IS NOT NULL AND NOT (key_id = ANY (:keys))
			)
			""";

	/**
	 * An item whose access token no configured key can decrypt (snake_case, as the
	 * console reads it).
	 */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	public record UnreadableToken(String itemId, UUID userId, String institutionId, String status, String missingKeyId,
			OffsetDateTime updatedAt) {
	}

	/**
	 * Refuses a re-encryption run for a key that is no longer the first of
	 * {@code PLAIDSYNC_TOKEN_KEY}.
	 * @throws IllegalStateException when {@code keyId} is not the current key
	 */
	public void requireCurrent(String keyId) {
		if (!keyId.equals(this.cipher.currentKeyId())) {
			throw new IllegalStateException(
					"This run re-encrypts under key '" + keyId + "', but the first key of " + AccessTokenCipher.VARIABLE
							+ " is now '" + this.cipher.currentKeyId() + "': start a new run instead");
		}
	}

	/**
	 * Up to {@code limit} stored tokens (of items not removed) not under {@code keyId},
	 * after {@code afterId}, by id.
	 */
	public List<StoredToken> tokensNotUnder(String keyId, long afterId, int limit) {
		return this.jdbc.sql("""
				SELECT id, item_id, access_token_key_id, access_token_ciphertext FROM plaid_items
				WHERE status <> 'REMOVED' AND access_token_key_id <> :keyId AND id > :afterId
				ORDER BY id LIMIT :limit
				""")
			.param("keyId", keyId)
			.param("afterId", afterId)
			.param("limit", limit)
			.query((row, number) -> new StoredToken(row.getLong("id"), row.getString("item_id"),
					row.getString("access_token_key_id"), row.getBytes("access_token_ciphertext")))
			.list();
	}

	/**
	 * How many stored tokens (of items not removed) after {@code afterId} are not under
	 * {@code keyId}.
	 */
	public long countTokensNotUnder(String keyId, long afterId) {
		return this.jdbc
			.sql("""
					SELECT count(*) FROM plaid_items WHERE status <> 'REMOVED' AND access_token_key_id <> :keyId AND id > :afterId
					""")
			.param("keyId", keyId)
			.param("afterId", afterId)
			.query(Long.class)
			.single();
	}

	/**
	 * The same token under the current key. No database or Plaid call.
	 * @throws AccessTokenUnreadable when no configured key reads it (the message names
	 * the key it needs)
	 */
	public StoredToken reencrypted(StoredToken stored) {
		EncryptedToken token = this.cipher.reencrypt(stored.itemId(),
				new EncryptedToken(stored.keyId(), stored.ciphertext()));
		return new StoredToken(stored.id(), stored.itemId(), token.keyId(), token.ciphertext());
	}

	/**
	 * Replaces the item's token with its re-encryption, in the caller's transaction, only
	 * if the row still holds the token that was read: a token relinked meanwhile is never
	 * overwritten.
	 */
	public void storeReencrypted(StoredToken read, StoredToken reencrypted) {
		this.jdbc
			.sql("""
					UPDATE plaid_items SET access_token_key_id = :keyId, access_token_ciphertext = :ciphertext, updated_at = now()
					WHERE item_id = :itemId AND access_token_key_id = :oldKeyId AND access_token_ciphertext = :oldCiphertext
					""")
			.param("keyId", reencrypted.keyId())
			.param("ciphertext", reencrypted.ciphertext())
			.param("itemId", read.itemId())
			.param("oldKeyId", read.keyId())
			.param("oldCiphertext", read.ciphertext())
			.update();
	}

	/** An item's stored access token: the key id that encrypted it and the ciphertext. */
	public record StoredToken(long id, String itemId, String keyId, byte[] ciphertext) {
	}

}
