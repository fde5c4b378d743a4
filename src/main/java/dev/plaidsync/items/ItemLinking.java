package dev.plaidsync.items;

import java.util.UUID;

import com.plaid.client.model.ItemGetResponse;
import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns a public token from Link into a stored Item: exchanges it, reads the Item's institution, stores the access
 * token encrypted, and publishes {@link ItemLinked} so that its first syncs start.
 */
@Component
public class ItemLinking {

	private static final Logger log = LoggerFactory.getLogger(ItemLinking.class);

	private final PlaidGateway plaid;

	private final AccessTokenCipher cipher;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	ItemLinking(PlaidGateway plaid, AccessTokenCipher cipher, JdbcClient jdbc, ApplicationEventPublisher events) {
		this.plaid = plaid;
		this.cipher = cipher;
		this.jdbc = jdbc;
		this.events = events;
	}

	public LinkedItem link(UUID userId, String publicToken) {
		ItemPublicTokenExchangeResponse exchanged = this.plaid.exchangePublicToken(publicToken);
		String itemId = exchanged.getItemId();
		ItemAccess access = new ItemAccess(itemId, null, exchanged.getAccessToken());
		ItemGetResponse item = this.plaid.item(access, CallPriority.INTERACTIVE);
		String institutionId = item.getItem().getInstitutionId();
		String institutionName = item.getItem().getInstitutionName();
		EncryptedToken token = this.cipher.encrypt(itemId, exchanged.getAccessToken());
		this.jdbc.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, institution_name, access_token_ciphertext,
				    access_token_key_id, webhook_url)
				VALUES (:itemId, :userId, :institutionId, :institutionName, :ciphertext, :keyId, :webhookUrl)
				ON CONFLICT (item_id) DO NOTHING
				""")
			.param("itemId", itemId)
			.param("userId", userId)
			.param("institutionId", institutionId)
			.param("institutionName", institutionName)
			.param("ciphertext", token.ciphertext())
			.param("keyId", token.keyId())
			.param("webhookUrl", item.getItem().getWebhook())
			.update();
		log.info("Linked item {} ({}) for user {}", itemId, institutionName, userId);
		this.events.publishEvent(new ItemLinked(itemId, userId));
		return new LinkedItem(itemId, userId, institutionId, institutionName);
	}

	public record LinkedItem(String itemId, UUID userId, String institutionId, String institutionName) {
	}

}
