package dev.plaidsync.sync;

import java.util.List;

import com.plaid.client.model.ItemGetResponse;
import com.plaid.client.model.PlaidError;
import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.items.ItemRepaired;
import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Catches what lost webhooks would have said: once a day, asks /item/get (not billed) about every item that
 * needs its user or whose last sync failed. An item that works again is reactivated and synced; an ACTIVE item that
 * Plaid reports as needing its user becomes NEEDS_USER.
 */
@Component
class ItemErrorCheck {

	private static final Logger log = LoggerFactory.getLogger(ItemErrorCheck.class);

	private final JdbcClient jdbc;

	private final ItemCredentials credentials;

	private final PlaidGateway plaid;

	private final ItemStatusChanges itemStatus;

	private final ApplicationEventPublisher events;

	ItemErrorCheck(JdbcClient jdbc, ItemCredentials credentials, PlaidGateway plaid, ItemStatusChanges itemStatus,
			ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.credentials = credentials;
		this.plaid = plaid;
		this.itemStatus = itemStatus;
		this.events = events;
	}

	@Scheduled(cron = "${plaidsync.sync.schedules.item-check:0 30 5 * * *}", zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	@SchedulerLock(name = "itemErrorCheck", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}")
	void checkItemsInError() {
		List<ItemInError> items = this.jdbc.sql("""
				SELECT item_id, user_id, status FROM plaid_items
				WHERE status = 'NEEDS_USER' OR (status = 'ACTIVE' AND last_error_code IS NOT NULL)
				ORDER BY id LIMIT 50000
				""").query((row, number) -> new ItemInError(row.getString(1), row.getObject(2, java.util.UUID.class),
						row.getString(3))).list();
		int repaired = 0;
		int needsUser = 0;
		for (ItemInError item : items) {
			try {
				ItemGetResponse answer = this.plaid.item(this.credentials.find(item.itemId()).orElseThrow(), CallPriority.SWEEP);
				PlaidError error = answer.getItem().getError();
				String code = (error != null) ? error.getErrorCode() : null;
				if (code == null && "NEEDS_USER".equals(item.status()) && this.itemStatus.reactivate(item.itemId())) {
					this.events.publishEvent(new ItemRepaired(item.itemId(), item.userId()));
					repaired++;
				}
				else if (code != null && PlaidFailure.needsUser(code) && "ACTIVE".equals(item.status())) {
					this.itemStatus.needsUser(item.itemId(), code, error.getErrorMessage());
					needsUser++;
				}
			}
			catch (PlaidFailure failure) {
				if (failure.kind() == PlaidFailure.Kind.ITEM_NEEDS_USER && "ACTIVE".equals(item.status())) {
					this.itemStatus.needsUser(item.itemId(), failure.errorCode(), failure.getMessage());
					needsUser++;
				}
				else if (failure.kind() == PlaidFailure.Kind.SYSTEMIC) {
					log.error("Item check stopped: {}", failure.getMessage());
					return;
				}
			}
			catch (AccessTokenUnreadable unreadable) {
				log.warn("Item check skipped {}: {}", item.itemId(), unreadable.getMessage());
			}
		}
		log.info("Item check: asked Plaid about {} items in error; {} work again, {} now need their users", items.size(),
				repaired, needsUser);
	}

	private record ItemInError(String itemId, java.util.UUID userId, String status) {
	}

}
