package dev.plaidsync.items;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;
import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stores simulator items the way linking does (encrypted token, ACTIVE), without publishing {@link ItemLinked}, so
 * that a test decides when they sync.
 */
public final class TestItems {

	private TestItems() {
	}

	public static List<String> create(ApplicationContext context, UUID userId, int count, String institutionId,
			String usernamePrefix) {
		PlaidSimulator simulator = context.getBean(PlaidSimulator.class);
		List<String> itemIds = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			LinkedItem item = simulator.createItem(institutionId, usernamePrefix + "-" + i, null);
			insert(context, userId, item.itemId(), item.accessToken(), institutionId);
			itemIds.add(item.itemId());
		}
		return itemIds;
	}

	/** Stores an item whose access token came from a simulator elsewhere, such as one in its own JVM. */
	public static void insert(ApplicationContext context, UUID userId, String itemId, String accessToken,
			String institutionId) {
		EncryptedToken token = context.getBean(AccessTokenCipher.class).encrypt(itemId, accessToken);
		context.getBean(JdbcClient.class).sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, institution_name, access_token_ciphertext,
				    access_token_key_id)
				VALUES (:itemId, :userId, :institutionId, 'Test institution', :ciphertext, :keyId)
				""")
			.param("itemId", itemId)
			.param("userId", userId)
			.param("institutionId", institutionId)
			.param("ciphertext", token.ciphertext())
			.param("keyId", token.keyId())
			.update();
	}

}
