package dev.plaidsync.items;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokenCipherTests {

	private static final String OLD_KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private static final String NEW_KEY = Base64.getEncoder()
		.encodeToString("0123456789abcdef0123456789abcdef".getBytes());

	private static final String TOKEN = "access-sandbox-8ab976e6-64bc-4b38-98f7-731e7a349970";

	@Test
	void aTokenRoundTripsAndItsCiphertextDoesNotContainThePlaintext() {
		AccessTokenCipher cipher = AccessTokenCipher.fromKeySpec("k1:" + OLD_KEY);

		EncryptedToken encrypted = cipher.encrypt("item-1", TOKEN);

		assertThat(cipher.decrypt("item-1", encrypted)).isEqualTo(TOKEN);
		assertThat(encrypted.keyId()).isEqualTo("k1");
		assertThat(new String(encrypted.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN)
			.doesNotContain("access-sandbox");
		assertThat(cipher.encrypt("item-1", TOKEN).ciphertext()).as("a fresh IV each time")
			.isNotEqualTo(encrypted.ciphertext());
	}

	@Test
	void aFlippedBitIsRejectedWithAClearError() {
		AccessTokenCipher cipher = AccessTokenCipher.fromKeySpec(OLD_KEY);
		EncryptedToken encrypted = cipher.encrypt("item-1", TOKEN);
		byte[] tampered = encrypted.ciphertext().clone();
		tampered[20] ^= 0x01;

		assertThatThrownBy(() -> cipher.decrypt("item-1", new EncryptedToken(encrypted.keyId(), tampered)))
			.isInstanceOf(AccessTokenUnreadable.class)
			.hasMessageContaining("item-1 failed its integrity check");
	}

	@Test
	void aCiphertextMovedToAnotherItemDoesNotDecrypt() {
		AccessTokenCipher cipher = AccessTokenCipher.fromKeySpec(OLD_KEY);
		EncryptedToken encrypted = cipher.encrypt("item-1", TOKEN);

		assertThatThrownBy(() -> cipher.decrypt("item-2", encrypted)).isInstanceOf(AccessTokenUnreadable.class);
	}

	@Test
	void aRotatedKeySetStillReadsOldTokensAndEncryptsWithTheNewKey() {
		EncryptedToken old = AccessTokenCipher.fromKeySpec("k1:" + OLD_KEY).encrypt("item-1", TOKEN);
		AccessTokenCipher rotated = AccessTokenCipher.fromKeySpec("k2:" + NEW_KEY + ", k1:" + OLD_KEY);

		assertThat(rotated.decrypt("item-1", old)).isEqualTo(TOKEN);
		assertThat(rotated.encrypt("item-1", TOKEN).keyId()).isEqualTo("k2");
	}

	@Test
	void aTokenWhoseKeyWasDroppedNamesTheMissingKey() {
		EncryptedToken old = AccessTokenCipher.fromKeySpec("k1:" + OLD_KEY).encrypt("item-1", TOKEN);

		assertThatThrownBy(() -> AccessTokenCipher.fromKeySpec("k2:" + NEW_KEY).decrypt("item-1", old))
			.hasMessageContaining("key id 'k1', which PLAIDSYNC_TOKEN_KEY no longer contains");
	}

	@Test
	void malformedKeysAreRefused() {
		assertThatThrownBy(() -> AccessTokenCipher.fromKeySpec("not base64!"))
			.hasMessageContaining("is not valid base64");
		assertThatThrownBy(() -> AccessTokenCipher.fromKeySpec("k1:" + OLD_KEY + ",k1:" + NEW_KEY))
			.hasMessageContaining("appears twice");
		assertThatThrownBy(() -> AccessTokenCipher.fromKeySpec("k1:c2hvcnQ=")).hasMessageContaining("5 bytes");
	}

}
