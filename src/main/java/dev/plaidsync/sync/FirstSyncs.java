package dev.plaidsync.sync;

import java.util.UUID;

import dev.plaidsync.items.ItemLinked;
import dev.plaidsync.items.ItemRepaired;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A newly linked item gets its holdings and its full transaction history; a repaired one syncs at once. */
@Component
class FirstSyncs {

	private final SyncLauncher launcher;

	FirstSyncs(SyncLauncher launcher) {
		this.launcher = launcher;
	}

	@EventListener
	void itemLinked(ItemLinked linked) {
		SyncScope scope = SyncScope.item(linked.itemId());
		String slot = "linked:" + linked.itemId();
		this.launcher.request(SyncJob.HOLDINGS, scope, slot, SyncOptions.interactive());
		this.launcher.request(SyncJob.TRANSACTIONS, scope, slot, SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
	}

	@EventListener
	void itemRepaired(ItemRepaired repaired) {
		SyncScope scope = SyncScope.item(repaired.itemId());
		String slot = "repaired:" + UUID.randomUUID();
		this.launcher.request(SyncJob.HOLDINGS, scope, slot, SyncOptions.interactive());
		this.launcher.request(SyncJob.TRANSACTIONS, scope, slot, SyncOptions.interactive());
	}

}
