package dev.plaidsync.items;

/** A stored access token that cannot be decrypted: its key is gone, or the ciphertext was altered. */
public class AccessTokenUnreadable extends RuntimeException {

	AccessTokenUnreadable(String message) {
		super(message);
	}

}
