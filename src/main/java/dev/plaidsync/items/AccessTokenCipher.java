package dev.plaidsync.items;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.plaidsync.common.StartupConfigurationException;

/**
 * Encrypts Plaid access tokens at rest with AES-256-GCM. The item id is bound in as
 * associated data, so a ciphertext copied onto another item's row does not decrypt. Each
 * ciphertext records the id of the key that made it; every configured key decrypts, and
 * the first one encrypts. Thread-safe.
 */
class AccessTokenCipher {

	static final String VARIABLE = "PLAIDSYNC_TOKEN_KEY";

	private static final String DEFAULT_KEY_ID = "k1";

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final Map<String, SecretKeySpec> keys;

	private final String currentKeyId;

	private final SecureRandom random = new SecureRandom();

	private AccessTokenCipher(Map<String, SecretKeySpec> keys) {
		this.keys = keys;
		this.currentKeyId = keys.keySet().iterator().next();
	}

	/**
	 * Parses {@code PLAIDSYNC_TOKEN_KEY}: base64 of 32 bytes, or {@code id:key,id:key}
	 * where the first key encrypts new tokens and all of them decrypt.
	 */
	static AccessTokenCipher fromKeySpec(String spec) {
		Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
		for (String entry : spec.split(",")) {
			String trimmed = entry.trim();
			int colon = trimmed.indexOf(':');
			String id = (colon < 0) ? DEFAULT_KEY_ID : trimmed.substring(0, colon).trim();
			String encoded = (colon < 0) ? trimmed : trimmed.substring(colon + 1).trim();
			if (id.isEmpty() || !id.matches("[A-Za-z0-9_.-]{1,32}")) {
				throw malformed("key id '" + id + "' must be 1-32 letters, digits, '.', '_' or '-'");
			}
			if (keys.containsKey(id)) {
				throw malformed("key id '" + id + "' appears twice");
			}
			keys.put(id, new SecretKeySpec(decodeKey(id, encoded), "AES"));
		}
		return new AccessTokenCipher(keys);
	}

	static String generateKeySpec() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return DEFAULT_KEY_ID + ":" + Base64.getEncoder().encodeToString(key);
	}

	EncryptedToken encrypt(String itemId, String accessToken) {
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), iv, itemId);
			byte[] sealed = cipher.doFinal(accessToken.getBytes(StandardCharsets.UTF_8));
			byte[] stored = new byte[IV_BYTES + sealed.length];
			System.arraycopy(iv, 0, stored, 0, IV_BYTES);
			System.arraycopy(sealed, 0, stored, IV_BYTES, sealed.length);
			return new EncryptedToken(this.currentKeyId, stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is unavailable in this JVM", ex);
		}
	}

	String decrypt(String itemId, EncryptedToken token) {
		SecretKeySpec key = this.keys.get(token.keyId());
		if (key == null) {
			throw new AccessTokenUnreadable(itemId, token.keyId(),
					"The access token of item " + itemId + " was encrypted with key id '" + token.keyId() + "', which "
							+ VARIABLE + " no longer contains. Add that key back as '" + token.keyId()
							+ ":<base64>' after the current one.");
		}
		byte[] stored = token.ciphertext();
		if (stored.length <= IV_BYTES) {
			throw new AccessTokenUnreadable(itemId, token.keyId(),
					"The stored access token of item " + itemId + " is truncated.");
		}
		try {
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(stored, IV_BYTES), itemId);
			return new String(cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (AEADBadTagException ex) {
			throw new AccessTokenUnreadable(itemId, token.keyId(),
					"The stored access token of item " + itemId
							+ " failed its integrity check: the ciphertext was altered, or key '" + token.keyId()
							+ "' is not the key that encrypted it. Relink the item if the stored value is lost.");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is unavailable in this JVM", ex);
		}
	}

	String currentKeyId() {
		return this.currentKeyId;
	}

	java.util.Set<String> keyIds() {
		return this.keys.keySet();
	}

	/**
	 * The same token under the current key; throws {@link AccessTokenUnreadable} when it
	 * cannot be read.
	 */
	EncryptedToken reencrypt(String itemId, EncryptedToken token) {
		return encrypt(itemId, decrypt(itemId, token));
	}

	private static Cipher cipher(int mode, SecretKeySpec key, byte[] iv, String itemId)
			throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
		cipher.updateAAD(itemId.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

	private static byte[] decodeKey(String id, String encoded) {
		byte[] key;
		try {
			key = Base64.getDecoder().decode(encoded);
		}
		catch (IllegalArgumentException ex) {
			throw malformed("key '" + id + "' is not valid base64");
		}
		if (key.length != 32) {
			throw malformed("key '" + id + "' decodes to " + key.length + " bytes; AES-256 needs 32");
		}
		return key;
	}

	private static StartupConfigurationException malformed(String detail) {
		return new StartupConfigurationException(VARIABLE + " is malformed: " + detail + ".",
				"Set " + VARIABLE + " to the base64 of 32 random bytes (openssl rand -base64 32), or to "
						+ "'id:base64,id:base64' to rotate keys (the first one encrypts).");
	}

	record EncryptedToken(String keyId, byte[] ciphertext) {
	}

}
