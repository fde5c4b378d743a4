package dev.plaidsync.items;

import org.springframework.modulith.NamedInterface;

/**
 * A stored access token that cannot be decrypted: its key is gone, or the ciphertext was
 * altered.
 */
@NamedInterface({ "sync", "maintenance", "users", "operations" })
public class AccessTokenUnreadable extends RuntimeException {

	private final String itemId;

	private final String keyId;

	AccessTokenUnreadable(String itemId, String keyId, String message) {
		super(message);
		this.itemId = itemId;
		this.keyId = keyId;
	}

	public String itemId() {
		return this.itemId;
	}

	/**
	 * The id of the key the token was stored under, which {@code PLAIDSYNC_TOKEN_KEY}
	 * must list to read it.
	 */
	public String keyId() {
		return this.keyId;
	}

}
