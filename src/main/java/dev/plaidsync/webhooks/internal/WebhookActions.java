package dev.plaidsync.webhooks.internal;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncOptions.TransactionsWindow;
import dev.plaidsync.sync.SyncScope;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What each webhook does (the dispatch table). Syncs go through
 * {@link SyncLauncher}, with the event id as the slot, so bursts coalesce across nodes;
 * item changes go through {@link ItemStatusChanges}.
 */
@Component
class WebhookActions {

	private final SyncLauncher launcher;

	private final ItemStatusChanges items;

	private final TransactionTemplate transaction;

	WebhookActions(SyncLauncher launcher, ItemStatusChanges items, PlatformTransactionManager transactionManager) {
		this.launcher = launcher;
		this.items = items;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * Whether the webhook asks for a sync: such events always reach the launcher, never
	 * the duplicate shortcut.
	 */
	static boolean launchesSync(WebhookBody body) {
		return body.error() == null && switch (body.type() + "/" + body.code()) {
			case "HOLDINGS/DEFAULT_UPDATE", "INVESTMENTS_TRANSACTIONS/DEFAULT_UPDATE",
					"INVESTMENTS_TRANSACTIONS/HISTORICAL_UPDATE" ->
				true;
			default -> false;
		};
	}

	Outcome apply(ClaimedEvent event, WebhookBody body) {
		String itemId = body.itemId();
		return switch (body.type() + "/" + body.code()) {
			case "HOLDINGS/DEFAULT_UPDATE" -> (body.error() != null) ? updateFailed(body)
					: launch(SyncJob.HOLDINGS, event, SyncOptions.webhook(TransactionsWindow.ROUTINE));
			case "INVESTMENTS_TRANSACTIONS/DEFAULT_UPDATE" ->
				(body.error() != null) ? updateFailed(body) : launch(SyncJob.TRANSACTIONS, event, SyncOptions.webhook(
						(body.cancelledTransactions() > 0) ? TransactionsWindow.FULL : TransactionsWindow.ROUTINE));
			case "INVESTMENTS_TRANSACTIONS/HISTORICAL_UPDATE" -> (body.error() != null) ? updateFailed(body)
					: launch(SyncJob.TRANSACTIONS, event, SyncOptions.webhook(TransactionsWindow.FULL));
			case "ITEM/ERROR" -> itemError(event, body);
			case "ITEM/PENDING_EXPIRATION" -> {
				OffsetDateTime at = time(body, "consent_expiration_time");
				if (at == null) {
					yield Outcome.failed("PENDING_EXPIRATION without consent_expiration_time",
							"no consent_expiration_time");
				}
				this.items.pendingExpiration(itemId, at);
				yield Outcome.done("consent expires at " + at);
			}
			case "ITEM/PENDING_DISCONNECT" -> {
				OffsetDateTime at = time(body, "disconnect_time");
				if (at == null) {
					yield Outcome.failed("PENDING_DISCONNECT without disconnect_time", "no disconnect_time");
				}
				this.items.pendingDisconnect(itemId, at, body.text("reason"));
				yield Outcome.done("disconnects at " + at + " (" + body.text("reason") + ")");
			}
			case "ITEM/USER_PERMISSION_REVOKED" -> {
				String code = (body.errorCode() != null) ? body.errorCode() : "USER_PERMISSION_REVOKED";
				this.items.revoked(itemId, code);
				yield Outcome.done("item revoked (" + code + "); syncing stops");
			}
			case "ITEM/USER_ACCOUNT_REVOKED" -> accountRevoked(body);
			case "ITEM/LOGIN_REPAIRED" -> {
				if (!this.items.reactivate(itemId)) {
					yield Outcome.done("item is removed; not reactivated");
				}
				yield Outcome.done("item ACTIVE again; holdings and transactions syncs requested");
			}
			case "ITEM/NEW_ACCOUNTS_AVAILABLE" -> {
				this.items.newAccountsAvailable(itemId);
				yield Outcome.done("new accounts available; the user is told");
			}
			case "ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED" -> Outcome.done("webhook URL is now " + body.text("new_webhook_url")
					+ ((body.errorCode() != null) ? " (error " + body.errorCode() + ")" : ""));
			default -> Outcome.done("unknown webhook " + body.type() + "/" + body.code() + "; nothing to do");
		};
	}

	private Outcome launch(SyncJob job, ClaimedEvent event, SyncOptions options) {
		LaunchOutcome launched = this.launcher.request(job, SyncScope.item(event.itemId()), slot(event), options);
		return switch (launched.status()) {
			case STARTED -> Outcome.launched(launched.requestId(), launched.jobExecutionId(), job.jobName() + " "
					+ options.transactionsWindow().name().toLowerCase(java.util.Locale.ROOT) + " window");
			case JOINED_PENDING, QUEUED, QUEUED_AFTER_RUNNING, DEFERRED ->
				Outcome.launched(launched.requestId(), null, "coalesced: " + launched.message());
			case ALREADY_COMPLETE -> Outcome.done("already done: " + launched.message());
		};
	}

	/**
	 * The event id; a later dispatch of the same event (a retry after a passing failure)
	 * adds its attempt, since the first attempt's run is a completed job instance that
	 * would not run again.
	 */
	private static String slot(ClaimedEvent event) {
		return (event.attempts() > 1) ? event.id() + "/attempt-" + event.attempts() : event.id().toString();
	}

	private Outcome updateFailed(WebhookBody body) {
		String code = (body.errorCode() != null) ? body.errorCode() : "UPDATE_FAILED";
		this.items.syncFailed(body.itemId(), code, body.errorMessage());
		return Outcome.done("Plaid's update failed with " + code + "; recorded on the item, nothing launched");
	}

	/**
	 * Plaid's word on the item when the event arrived: a repair the user made after that
	 * (the event waited in the queue) stands.
	 */
	private Outcome itemError(ClaimedEvent event, WebhookBody body) {
		String code = (body.errorCode() != null) ? body.errorCode() : "ITEM_ERROR";
		if (PlaidFailure.needsUser(code) || PlaidFailure.permanentForItem(code) || body.errorCode() == null) {
			this.items.needsUser(body.itemId(), code, body.errorMessage(), event.createdAt().toInstant());
			return Outcome.done("item needs its user (" + code + "); scheduled syncs skip it");
		}
		this.items.syncFailed(body.itemId(), code, body.errorMessage());
		return Outcome.done("item error " + code + " recorded; the item keeps syncing");
	}

	private Outcome accountRevoked(WebhookBody body) {
		String accountId = body.text("account_id");
		if (accountId == null) {
			return Outcome.failed("USER_ACCOUNT_REVOKED without an account_id", "no account_id in the body");
		}
		Boolean known = this.transaction.execute((status) -> this.items.accountRevoked(body.itemId(), accountId));
		return Boolean.TRUE.equals(known) ? Outcome.done("account " + accountId + " deactivated; its data removed")
				: Outcome.done("account " + accountId + " is not stored; nothing to remove");
	}

	private static OffsetDateTime time(WebhookBody body, String field) {
		String text = body.text(field);
		if (text == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(field + " is not an ISO-8601 time: " + text, ex);
		}
	}

	/**
	 * How an event ends its dispatch: LAUNCHED (waiting for the run that serves its sync
	 * request), DONE or FAILED.
	 *
	 * @param syncRequestId the launcher's request id, for LAUNCHED
	 */
	record Outcome(String status, String reason, Long syncRequestId, Long jobExecutionId, Boolean success,
			String error) {

		/**
		 * Waits for the run that serves {@code requestId}; the execution is known when
		 * the request started one.
		 */
		static Outcome launched(long requestId, Long jobExecutionId, String reason) {
			return new Outcome("LAUNCHED", reason, requestId, jobExecutionId, null, null);
		}

		static Outcome done(String reason) {
			return new Outcome("DONE", reason, null, null, true, null);
		}

		static Outcome failed(String reason, String error) {
			return new Outcome("FAILED", reason, null, null, false, error);
		}

		/**
		 * The same outcome for an event that waited in the same burst as {@code eventId}.
		 */
		Outcome sharedWith(java.util.UUID eventId) {
			return new Outcome(this.status, "with event " + eventId + ": " + this.reason, this.syncRequestId,
					this.jobExecutionId, this.success, this.error);
		}

	}

}
