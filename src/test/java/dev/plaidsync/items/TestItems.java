package dev.plaidsync.items;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.plaidsync.items.AccessTokenCipher.EncryptedToken;
import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stores simulator items the way linking does (encrypted token, ACTIVE), without
 * publishing {@link ItemLinked}, so that a test decides when they sync.
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

	/**
	 * Stores an item whose access token came from a simulator elsewhere, such as one in
	 * its own JVM.
	 */
	public static void insert(ApplicationContext context, UUID userId, String itemId, String accessToken,
			String institutionId) {
		EncryptedToken token = context.getBean(AccessTokenCipher.class).encrypt(itemId, accessToken);
		context.getBean(JdbcClient.class)
			.sql("""
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

	/**
	 * One item for {@link #insertAll}: its user's auth subject (the user is created when
	 * new), id, token, institution.
	 */
	public record Seed(String authSubject, String itemId, String accessToken, String institutionId) {
	}

	/**
	 * Stores many items as {@link #insert} does one by one (encrypted token, ACTIVE),
	 * with their users, in one transaction: the rows go by COPY into a temporary table,
	 * then into {@code app_users} and {@code plaid_items} with one statement each.
	 * 150,000 items take seconds.
	 */
	public static void insertAll(ApplicationContext context, List<Seed> seeds) {
		AccessTokenCipher cipher = context.getBean(AccessTokenCipher.class);
		HexFormat hex = HexFormat.of();
		try (Connection connection = context.getBean(DataSource.class).getConnection()) {
			connection.setAutoCommit(false);
			try (Statement sql = connection.createStatement()) {
				sql.execute("""
						CREATE TEMPORARY TABLE seeded_items (auth_subject text, item_id text, institution_id text,
						    ciphertext bytea, key_id text) ON COMMIT DROP
						""");
				CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
				for (int from = 0; from < seeds.size(); from += 10_000) {
					StringBuilder rows = new StringBuilder();
					for (Seed seed : seeds.subList(from, Math.min(seeds.size(), from + 10_000))) {
						EncryptedToken token = cipher.encrypt(seed.itemId(), seed.accessToken());
						rows.append(csv(seed.authSubject()))
							.append(',')
							.append(csv(seed.itemId()))
							.append(',')
							.append(csv(seed.institutionId()))
							.append(",\\x")
							.append(hex.formatHex(token.ciphertext()))
							.append(',')
							.append(csv(token.keyId()))
							.append('\n');
					}
					copy.copyIn("COPY seeded_items FROM STDIN (FORMAT csv)", new StringReader(rows.toString()));
				}
				sql.execute("""
						INSERT INTO app_users (auth_subject) SELECT DISTINCT auth_subject FROM seeded_items
						ON CONFLICT (auth_subject) DO NOTHING
						""");
				sql.execute(
						"""
								INSERT INTO plaid_items (item_id, user_id, institution_id, institution_name, access_token_ciphertext,
								    access_token_key_id)
								SELECT s.item_id, u.id, s.institution_id, 'Test institution', s.ciphertext, s.key_id
								FROM seeded_items s JOIN app_users u ON u.auth_subject = s.auth_subject
								""");
			}
			connection.commit();
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException("Seeding " + seeds.size() + " items failed", ex);
		}
	}

	private static String csv(String value) {
		return '"' + value.replace("\"", "\"\"") + '"';
	}

}
