package dev.plaidsync.sync.triggers;

import java.util.UUID;

import dev.plaidsync.items.ItemLinked;
import dev.plaidsync.items.ItemRepaired;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * A newly linked item gets its holdings and its full transaction history; a repaired one
 * syncs at once. The events arrive after the publisher's commit, from the event
 * publication registry, so a node that dies in between does not lose them. No transaction
 * of their own: the launcher runs its own, and Spring Batch starts no job inside another.
 */
@Component
class FirstSyncs {

	private final SyncLauncher launcher;

	FirstSyncs(SyncLauncher launcher) {
		this.launcher = launcher;
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void itemLinked(ItemLinked linked) {
		SyncScope scope = SyncScope.item(linked.itemId());
		String slot = "linked:" + linked.itemId();
		this.launcher.request(SyncJob.HOLDINGS, scope, slot, SyncOptions.interactive());
		this.launcher.request(SyncJob.TRANSACTIONS, scope, slot,
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void itemRepaired(ItemRepaired repaired) {
		SyncScope scope = SyncScope.item(repaired.itemId());
		String slot = "repaired:" + UUID.randomUUID();
		this.launcher.request(SyncJob.HOLDINGS, scope, slot, SyncOptions.interactive());
		this.launcher.request(SyncJob.TRANSACTIONS, scope, slot, SyncOptions.interactive());
	}

}
