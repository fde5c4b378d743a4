package dev.plaidsync.items;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * For operators: finds items by item id, user id, institution id or institution name, and
 * reads one item, its status changes and a user's items, never with an access token.
 * Every read is one page through an index (the prefixes through the {@code "C"} collation
 * indexes of V49, which serve {@code LIKE 'prefix%'} and their order whatever the
 * database's collation), so it costs the same at 150,000 items. Read-only.
 */
@NamedInterface("operations")
@Component
public class ItemDirectory {

	/** The longest search an operator can ask for: longer than any Plaid identifier. */
	public static final int MAX_QUERY = 100;

	private static final Pattern UUID_PREFIX = Pattern.compile("[0-9a-fA-F-]{4,36}");

	private static final String COLUMNS = """
			SELECT item_id, user_id, institution_id, institution_name, status, status_reason, status_changed_at,
			       last_error_code, last_error_message, last_error_at, holdings_synced_at, holdings_as_of,
			       transactions_synced_at, balances_synced_at, created_at
			""";

	private final JdbcClient jdbc;

	ItemDirectory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Items matching {@code query}: those of the user it names (a whole user id, or a
	 * prefix of at least 4 of its hex digits), then those whose item id, institution id
	 * or institution name (case-insensitive) starts with it; each group in its key's
	 * order. An item matching in two ways appears twice.
	 * @throws IllegalArgumentException when the query is blank or longer than
	 * {@value #MAX_QUERY} characters
	 */
	public Page<FoundItem> search(String query, PageRequest request) {
		String q = query.strip();
		if (q.isEmpty()) {
			throw new IllegalArgumentException(
					"q is required: an item id, a user id, an institution id or the start of an institution name");
		}
		if (q.length() > MAX_QUERY) {
			throw new IllegalArgumentException("q must be at most " + MAX_QUERY + " characters, not " + q.length());
		}
		String prefix = likeEscaped(q) + "%";
		List<Branch> branches = new ArrayList<>();
		uuidRange(q).ifPresent((range) -> branches.add(new Branch("user_id", """
				WHERE user_id BETWEEN CAST(:low AS uuid) AND CAST(:high AS uuid)
				""", "user_id, id", range)));
		branches
			.add(new Branch("item_id", "WHERE item_id COLLATE \"C\" LIKE :prefix\n", "item_id COLLATE \"C\"", null));
		branches.add(new Branch("institution_id", "WHERE institution_id COLLATE \"C\" LIKE :prefix\n",
				"institution_id COLLATE \"C\", id", null));
		branches.add(new Branch("institution_name", "WHERE lower(institution_name) COLLATE \"C\" LIKE lower(:prefix)\n",
				"lower(institution_name) COLLATE \"C\", id", null));
		List<FoundItem> found = new ArrayList<>();
		long skip = request.offset();
		long total = 0;
		for (Branch branch : branches) {
			long counted = branch
				.bind(this.jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM plaid_items " + branch.where()
						+ "LIMIT :cap) AS matching"), prefix)
				.param("cap", Page.COUNT_LIMIT)
				.query(Long.class)
				.single();
			total += counted;
			int wanted = request.size() - found.size();
			if (wanted > 0 && skip < counted) {
				found.addAll(branch
					.bind(this.jdbc.sql(COLUMNS + ", '" + branch.matchedBy() + "' AS matched_by FROM plaid_items "
							+ branch.where() + "ORDER BY " + branch.order() + " LIMIT :limit OFFSET :offset"), prefix)
					.param("limit", wanted)
					.param("offset", skip)
					.query(FoundItem.class)
					.list());
			}
			skip = Math.max(0, skip - counted);
		}
		return Page.of(found, total);
	}

	/** The item, whatever its status; empty when no item has this id. */
	public Optional<FoundItem> item(String itemId) {
		return this.jdbc.sql(COLUMNS + ", 'item_id' AS matched_by FROM plaid_items WHERE item_id = :itemId")
			.param("itemId", itemId)
			.query(FoundItem.class)
			.optional();
	}

	/** Whether the user exists (it may have no item). */
	public boolean userExists(UUID userId) {
		return this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM app_users WHERE id = :id)")
			.param("id", userId)
			.query(Boolean.class)
			.single();
	}

	/** The user's items, removed ones included, oldest linked first. */
	public Page<FoundItem> ofUser(UUID userId, PageRequest request) {
		List<FoundItem> items = this.jdbc.sql(COLUMNS
				+ ", 'user_id' AS matched_by FROM plaid_items WHERE user_id = :user ORDER BY id LIMIT :limit OFFSET :offset")
			.param("user", userId)
			.param("limit", request.size())
			.param("offset", request.offset())
			.query(FoundItem.class)
			.list();
		long counted = this.jdbc
			.sql("SELECT count(*) FROM (SELECT 1 FROM plaid_items WHERE user_id = :user LIMIT :cap) AS matching")
			.param("user", userId)
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
		return Page.of(items, counted);
	}

	/**
	 * The item's status changes, newest first, at most {@code limit}: recorded since V49,
	 * in the transaction that changed the status.
	 */
	public List<StatusChange> statusChanges(String itemId, int limit) {
		return this.jdbc.sql("""
				SELECT from_status, to_status, reason, changed_at FROM item_status_history
				WHERE item_id = :itemId ORDER BY changed_at DESC, id DESC LIMIT :limit
				""").param("itemId", itemId).param("limit", limit).query(StatusChange.class).list();
	}

	static String likeEscaped(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	/**
	 * The user ids a query can be the start of: from it padded with zeros to it padded
	 * with f's; empty unless it is at least 4 hex digits (dashes where a user id has
	 * them).
	 */
	static Optional<String[]> uuidRange(String query) {
		if (!UUID_PREFIX.matcher(query).matches()) {
			return Optional.empty();
		}
		String hex = query.replace("-", "").toLowerCase(Locale.ROOT);
		if (hex.length() < 4 || hex.length() > 32 || !hex.chars().allMatch((c) -> Character.digit(c, 16) >= 0)) {
			return Optional.empty();
		}
		String low = asUuid(hex + "0".repeat(32 - hex.length()));
		String high = asUuid(hex + "f".repeat(32 - hex.length()));
		if (query.contains("-") && !low.startsWith(query.toLowerCase(Locale.ROOT))) {
			return Optional.empty();
		}
		return Optional.of(new String[] { low, high });
	}

	private static String asUuid(String hex) {
		return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
				+ hex.substring(16, 20) + "-" + hex.substring(20);
	}

	private record Branch(String matchedBy, String where, String order, String @Nullable [] range) {

		JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, String prefix) {
			return (this.range != null) ? statement.param("low", this.range[0]).param("high", this.range[1])
					: statement.param("prefix", prefix);
		}

	}

	/**
	 * An item as operators see it: who, where, its status and last error, and when each
	 * product was last written (the fetch time of the stored snapshot); never its access
	 * token. {@code matchedBy}: the key the search matched (item_id, user_id,
	 * institution_id, institution_name).
	 */
	public record FoundItem(String itemId, UUID userId, @Nullable String institutionId,
			@Nullable String institutionName, String status, @Nullable String statusReason,
			OffsetDateTime statusChangedAt, @Nullable String lastErrorCode, @Nullable String lastErrorMessage,
			@Nullable OffsetDateTime lastErrorAt, @Nullable OffsetDateTime holdingsSyncedAt,
			@Nullable OffsetDateTime holdingsAsOf, @Nullable OffsetDateTime transactionsSyncedAt,
			@Nullable OffsetDateTime balancesSyncedAt, OffsetDateTime createdAt, String matchedBy) {
	}

	/**
	 * One status change; {@code fromStatus} is null for changes read before it was kept.
	 */
	public record StatusChange(@Nullable String fromStatus, String toStatus, @Nullable String reason,
			OffsetDateTime changedAt) {
	}

}
