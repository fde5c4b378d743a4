package dev.plaidsync.items;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Changes an Item's status and flags. Each method joins the caller's transaction when
 * there is one, so a sync writer records the status in the same transaction as the data.
 */
@NamedInterface({ "sync", "status" })
@Component
public class ItemStatusChanges {

	/**
	 * Appends the changed item's new status to {@code item_status_history} when it
	 * differs from the old one, in the statement (so the transaction) that changed it;
	 * {@code changed} is the update's {@code item_id} and the status {@code from_status}
	 * before it, {@code :reason} why.
	 */
	private static final String HISTORY = """
			INSERT INTO item_status_history (item_id, from_status, to_status, reason)
			SELECT item_id, from_status, :status, :reason FROM changed WHERE from_status IS DISTINCT FROM :status
			""";

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	ItemStatusChanges(JdbcClient jdbc, ApplicationEventPublisher events, TransactionTemplate transaction) {
		this.jdbc = jdbc;
		this.events = events;
		this.transaction = transaction;
	}

	/** The item needs its user back in Link; schedules skip it until it is repaired. */
	public void needsUser(String itemId, String errorCode, String message) {
		setStatus(itemId, ItemStatus.NEEDS_USER, errorCode, message, null);
	}

	/**
	 * As {@link #needsUser(String, String, String)}, for Plaid's answer to a call made at
	 * {@code askedAt}: a status the item gained after that (its user repaired it while
	 * the call was on its way) stands.
	 */
	public void needsUser(String itemId, String errorCode, String message, Instant askedAt) {
		setStatus(itemId, ItemStatus.NEEDS_USER, errorCode, message, askedAt);
	}

	/**
	 * Plaid answered a permanent code for the item: sweeps skip it, and operators see it
	 * as needing attention.
	 */
	public void broken(String itemId, String errorCode, String message) {
		setStatus(itemId, ItemStatus.BROKEN, errorCode, message, null);
	}

	/** As {@link #needsUser(String, String, String, Instant)}, for a permanent code. */
	public void broken(String itemId, String errorCode, String message, Instant askedAt) {
		setStatus(itemId, ItemStatus.BROKEN, errorCode, message, askedAt);
	}

	public void revoked(String itemId, String reason) {
		setStatus(itemId, ItemStatus.REVOKED, reason, null, null);
	}

	/**
	 * Back to ACTIVE, with the error cleared, and {@link ItemRepaired} published so that
	 * the item syncs at once: this is the event's one publisher, whoever learnt of the
	 * repair (the user's app, Plaid's webhook, the item check). The event is stored in
	 * the transaction that reactivates the item (the caller's, or its own), so the sync
	 * follows even if this node dies right after the commit. Returns false, and publishes
	 * nothing, for an unknown or removed item.
	 */
	public boolean reactivate(String itemId) {
		Optional<Changed> owner = this.transaction.execute((status) -> {
			Optional<Changed> reactivated = this.jdbc
				.sql("""
						WITH prior AS (SELECT item_id, status, status_reason FROM plaid_items
						    WHERE item_id = :itemId AND status <> 'REMOVED' FOR UPDATE),
						changed AS (
						    UPDATE plaid_items AS i SET status = 'ACTIVE', status_reason = NULL, status_changed_at = now(),
						        last_error_code = NULL, last_error_message = NULL, updated_at = now()
						    FROM prior WHERE i.item_id = prior.item_id
						    RETURNING i.item_id, i.user_id, prior.status AS from_status, prior.status_reason AS previous_reason
						), history AS ("""
						+ HISTORY + """
								)
								SELECT user_id, from_status AS previous_status, previous_reason FROM changed
								""")
				.param("itemId", itemId)
				.param("status", ItemStatus.ACTIVE.name())
				.param("reason", "REPAIRED")
				.query(Changed.class)
				.optional();
			reactivated.ifPresent((changed) -> {
				this.events.publishEvent(new ItemRepaired(itemId, changed.userId()));
				if (!ItemStatus.ACTIVE.name().equals(changed.previousStatus())) {
					this.events.publishEvent(ItemStatusChanged.of(itemId, changed.userId(), ItemStatus.ACTIVE,
							changed.previousStatus(), null));
				}
			});
			return reactivated;
		});
		return owner.isPresent();
	}

	/**
	 * A failure of this item for this run: recorded for the user and operators; the
	 * status stays.
	 */
	public void syncFailed(String itemId, String errorCode, String message) {
		this.jdbc.sql("""
				UPDATE plaid_items SET last_error_code = :code, last_error_message = :message, last_error_at = now(),
				    updated_at = now()
				WHERE item_id = :itemId
				""").param("itemId", itemId).param("code", errorCode).param("message", message).update();
	}

	public void pendingExpiration(String itemId, OffsetDateTime consentExpiresAt) {
		this.jdbc.sql("UPDATE plaid_items SET consent_expiration_at = :at, updated_at = now() WHERE item_id = :itemId")
			.param("itemId", itemId)
			.param("at", consentExpiresAt)
			.update();
	}

	public void pendingDisconnect(String itemId, OffsetDateTime disconnectAt, String reason) {
		this.jdbc
			.sql("""
					UPDATE plaid_items SET pending_disconnect_at = :at, pending_disconnect_reason = :reason, updated_at = now()
					WHERE item_id = :itemId
					""")
			.param("itemId", itemId)
			.param("at", disconnectAt)
			.param("reason", reason)
			.update();
	}

	/**
	 * The user revoked one account of the item (USER_ACCOUNT_REVOKED): the account
	 * becomes inactive and its holdings and transactions are removed (by {@code sync},
	 * listening synchronously to {@link AccountErasure}). Run it in a transaction to make
	 * the changes atomic. Returns false, and changes nothing, when the item has no such
	 * account.
	 */
	public boolean accountRevoked(String itemId, String accountId) {
		int accounts = this.jdbc.sql("""
				UPDATE user_investment_accounts SET is_active = false, deactivated_at = coalesce(deactivated_at, now()),
				    deactivated_reason = 'USER_ACCOUNT_REVOKED'
				WHERE item_id = :itemId AND account_id = :accountId
				""").param("itemId", itemId).param("accountId", accountId).update();
		if (accounts == 0) {
			return false;
		}
		this.events.publishEvent(new AccountErasure(itemId, accountId));
		return true;
	}

	public void newAccountsAvailable(String itemId) {
		this.jdbc
			.sql("UPDATE plaid_items SET new_accounts_available_at = now(), updated_at = now() WHERE item_id = :itemId")
			.param("itemId", itemId)
			.update();
	}

	/**
	 * Publishes {@link ItemStatusChanged} when the status or its reason differs from what
	 * the row held (the row is locked first, so concurrent changes see each other). With
	 * {@code askedAt}, a status changed after it stands.
	 */
	private void setStatus(String itemId, ItemStatus status, String reason, @Nullable String message,
			@Nullable Instant askedAt) {
		this.jdbc.sql("""
				WITH prior AS (SELECT item_id, status, status_reason FROM plaid_items
				    WHERE item_id = :itemId AND status <> 'REMOVED'
				        AND (CAST(:askedAt AS timestamptz) IS NULL OR status_changed_at IS NULL
				            OR status_changed_at <= CAST(:askedAt AS timestamptz))
				    FOR UPDATE),
				changed AS (
				    UPDATE plaid_items AS i SET status = :status, status_reason = :reason, status_changed_at = now(),
				        last_error_code = coalesce(:reason, i.last_error_code),
				        last_error_message = coalesce(:message, i.last_error_message), last_error_at = now(),
				        updated_at = now()
				    FROM prior WHERE i.item_id = prior.item_id
				    RETURNING i.item_id, i.user_id, prior.status AS from_status, prior.status_reason AS previous_reason
				), history AS (""" + HISTORY + """
				)
				SELECT user_id, from_status AS previous_status, previous_reason FROM changed
				""")
			.param("itemId", itemId)
			.param("askedAt", (askedAt != null) ? OffsetDateTime.ofInstant(askedAt, ZoneOffset.UTC) : null)
			.param("status", status.name())
			.param("reason", reason)
			.param("message", message)
			.query(Changed.class)
			.optional()
			.filter((changed) -> !status.name().equals(changed.previousStatus())
					|| !Objects.equals(reason, changed.previousReason()))
			.ifPresent((changed) -> this.events.publishEvent(
					ItemStatusChanged.of(itemId, changed.userId(), status, changed.previousStatus(), reason)));
	}

	private record Changed(UUID userId, String previousStatus, String previousReason) {
	}

}
