package dev.plaidsync.sync.triggers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.plaid.client.model.ItemGetResponse;
import com.plaid.client.model.PlaidError;
import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.ItemSyncMarkers.ItemInError;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.sync.runtime.SyncRecoveryProperties;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Catches what lost webhooks would have said: once a day, asks /item/get (not billed)
 * about every item that needs its user or whose last sync failed. An item that works
 * again is reactivated and synced; an ACTIVE item that Plaid reports as needing its user
 * becomes NEEDS_USER, and one Plaid reports as gone for good becomes BROKEN.
 * <p>
 * It pages through every such item by id, a page at a time, with up to
 * {@code item-check-concurrency} calls in flight (the shared budget still paces them). An
 * item deleted or removed while the check runs is skipped; a systemic failure (our
 * credentials) stops the check.
 */
@Component
class ItemErrorCheck {

	private static final Logger log = LoggerFactory.getLogger(ItemErrorCheck.class);

	private final ItemSyncMarkers itemMarkers;

	private final ItemCredentials credentials;

	private final PlaidGateway plaid;

	private final ItemStatusChanges itemStatus;

	private final SyncRecoveryProperties recovery;

	ItemErrorCheck(ItemSyncMarkers itemMarkers, ItemCredentials credentials, PlaidGateway plaid,
			ItemStatusChanges itemStatus, SyncRecoveryProperties recovery) {
		this.itemMarkers = itemMarkers;
		this.credentials = credentials;
		this.plaid = plaid;
		this.itemStatus = itemStatus;
		this.recovery = recovery;
	}

	@Scheduled(cron = "${plaidsync.sync.schedules.item-check:0 30 5 * * *}",
			zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	@SchedulerLock(name = "itemErrorCheck", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}")
	void scheduledCheck() {
		checkItemsInError();
	}

	/** Checks every item in error once; returns what it found. */
	CheckSummary checkItemsInError() {
		Counts counts = new Counts();
		AtomicReference<PlaidFailure> systemic = new AtomicReference<>();
		ExecutorService pool = Executors.newFixedThreadPool(this.recovery.itemCheckConcurrency(), (runnable) -> {
			Thread thread = new Thread(runnable, "item-check");
			thread.setDaemon(true);
			return thread;
		});
		try {
			long afterId = 0;
			while (systemic.get() == null) {
				List<ItemInError> page = page(afterId);
				if (page.isEmpty()) {
					break;
				}
				List<CompletableFuture<Void>> checks = new ArrayList<>();
				for (ItemInError item : page) {
					checks.add(CompletableFuture.runAsync(() -> {
						if (systemic.get() == null) {
							check(item, counts, systemic);
						}
					}, pool));
				}
				CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).join();
				afterId = page.get(page.size() - 1).id();
			}
		}
		finally {
			pool.shutdownNow();
		}
		CheckSummary summary = new CheckSummary(counts.checked.get(), counts.repaired.get(), counts.needsUser.get(),
				counts.broken.get(), counts.gone.get(), systemic.get() == null);
		if (systemic.get() != null) {
			log.error("Item check stopped after {} items: {}", summary.checked(), systemic.get().getMessage());
		}
		else {
			log.info(
					"Item check: asked Plaid about {} items in error; {} work again, {} now need their users, {} are "
							+ "gone for good, {} were deleted meanwhile",
					summary.checked(), summary.repaired(), summary.needsUser(), summary.broken(), summary.gone());
		}
		return summary;
	}

	private List<ItemInError> page(long afterId) {
		return this.itemMarkers.itemsInError(afterId, this.recovery.itemCheckPageSize());
	}

	private void check(ItemInError item, Counts counts, AtomicReference<PlaidFailure> systemic) {
		try {
			Optional<ItemAccess> access = this.credentials.find(item.itemId());
			if (access.isEmpty()) {
				counts.gone.incrementAndGet();
				return;
			}
			counts.checked.incrementAndGet();
			ItemGetResponse answer = this.plaid.item(access.get(), CallPriority.SWEEP);
			PlaidError error = answer.getItem().getError();
			String code = (error != null) ? error.getErrorCode() : null;
			if (code == null && "NEEDS_USER".equals(item.status()) && this.itemStatus.reactivate(item.itemId())) {
				counts.repaired.incrementAndGet();
			}
			else if (code != null && PlaidFailure.needsUser(code) && "ACTIVE".equals(item.status())) {
				this.itemStatus.needsUser(item.itemId(), code, error.getErrorMessage());
				counts.needsUser.incrementAndGet();
			}
			else if (code != null && PlaidFailure.permanentForItem(code)) {
				this.itemStatus.broken(item.itemId(), code, error.getErrorMessage());
				counts.broken.incrementAndGet();
			}
		}
		catch (PlaidFailure failure) {
			if (failure.kind() == PlaidFailure.Kind.SYSTEMIC) {
				systemic.compareAndSet(null, failure);
			}
			else if (failure.kind() == PlaidFailure.Kind.ITEM_NEEDS_USER && "ACTIVE".equals(item.status())) {
				this.itemStatus.needsUser(item.itemId(), failure.errorCode(), failure.getMessage());
				counts.needsUser.incrementAndGet();
			}
			else if (PlaidFailure.permanentForItem(failure.errorCode())) {
				this.itemStatus.broken(item.itemId(), failure.errorCode(), failure.getMessage());
				counts.broken.incrementAndGet();
			}
		}
		catch (AccessTokenUnreadable unreadable) {
			log.warn("Item check skipped {}: {}", item.itemId(), unreadable.getMessage());
		}
		catch (RuntimeException unexpected) {
			log.warn("Item check could not check {}: {}", item.itemId(), unexpected.toString());
		}
	}

	/**
	 * @param gone items deleted or removed after the check listed them
	 * @param finished false when a systemic failure stopped the check
	 */
	record CheckSummary(int checked, int repaired, int needsUser, int broken, int gone, boolean finished) {
	}

	private static final class Counts {

		final AtomicInteger checked = new AtomicInteger();

		final AtomicInteger repaired = new AtomicInteger();

		final AtomicInteger needsUser = new AtomicInteger();

		final AtomicInteger broken = new AtomicInteger();

		final AtomicInteger gone = new AtomicInteger();

	}

}
