package dev.plaidsync.items;

import java.time.OffsetDateTime;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * For operators: items that need their user or a person (NEEDS_USER, REVOKED, BROKEN),
 * and active items whose consent expires or that Plaid will disconnect; longest in that
 * state first. Both the page and its capped count walk one partial index
 * ({@code idx_plaid_items_attention}), so the query costs the same at 150,000 items.
 * Read-only.
 */
@NamedInterface("operations")
@Component
public class ItemsNeedingAttention {

	private static final String NEEDS_ATTENTION = """
			(status IN ('NEEDS_USER', 'REVOKED', 'BROKEN')
			 OR (status = 'ACTIVE' AND (consent_expiration_at IS NOT NULL OR pending_disconnect_at IS NOT NULL)))
			""";

	private final JdbcClient jdbc;

	ItemsNeedingAttention(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Page<ItemNeedingAttention> page(PageRequest request) {
		var items = this.jdbc
			.sql("""
					SELECT item_id, user_id, institution_id, institution_name, status, status_reason, status_changed_at,
					       floor(extract(epoch FROM now() - status_changed_at))::bigint AS age_seconds,
					       consent_expiration_at, pending_disconnect_at, pending_disconnect_reason, new_accounts_available_at,
					       last_error_code, last_error_at
					FROM plaid_items WHERE """
					+ NEEDS_ATTENTION + """
							ORDER BY status_changed_at, id LIMIT :limit OFFSET :offset
							""")
			.param("limit", request.size())
			.param("offset", request.offset())
			.query(ItemNeedingAttention.class)
			.list();
		long counted = this.jdbc
			.sql("SELECT count(*) FROM (SELECT 1 FROM plaid_items WHERE " + NEEDS_ATTENTION
					+ " LIMIT :cap) AS matching")
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
		return Page.of(items, counted);
	}

	/**
	 * One item an operator should look at, as the console and the JSON API show it
	 * (snake_case, as before records).
	 *
	 * @param status NEEDS_USER, REVOKED, BROKEN, or ACTIVE with a consent expiry or
	 * pending disconnect
	 * @param ageSeconds how long it has had that status
	 */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	public record ItemNeedingAttention(String itemId, java.util.UUID userId, String institutionId,
			String institutionName, String status, String statusReason, OffsetDateTime statusChangedAt, long ageSeconds,
			OffsetDateTime consentExpirationAt, OffsetDateTime pendingDisconnectAt, String pendingDisconnectReason,
			OffsetDateTime newAccountsAvailableAt, String lastErrorCode, OffsetDateTime lastErrorAt) {
	}

}
