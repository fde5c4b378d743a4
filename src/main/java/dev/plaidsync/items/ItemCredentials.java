package dev.plaidsync.items;

import java.util.Optional;

import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;
import dev.plaidsync.plaid.ItemAccess;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Decrypts an Item's stored access token into what the Plaid gateway needs. The token
 * lives only in memory, for the duration of a call.
 */
@NamedInterface("sync")
@Component
public class ItemCredentials {

	private final JdbcClient jdbc;

	private final AccessTokenCipher cipher;

	ItemCredentials(JdbcClient jdbc, AccessTokenCipher cipher) {
		this.jdbc = jdbc;
		this.cipher = cipher;
	}

	public Optional<ItemAccess> find(String itemId) {
		return this.jdbc.sql("""
				SELECT item_id, institution_id, access_token_key_id, access_token_ciphertext
				FROM plaid_items WHERE item_id = :itemId
				""")
			.param("itemId", itemId)
			.query((row, number) -> access(row.getString("item_id"), row.getString("institution_id"),
					row.getString("access_token_key_id"), row.getBytes("access_token_ciphertext")))
			.optional();
	}

	public ItemAccess access(String itemId, String institutionId, String keyId, byte[] ciphertext) {
		return new ItemAccess(itemId, institutionId,
				this.cipher.decrypt(itemId, new EncryptedToken(keyId, ciphertext)));
	}

}
