package dev.plaidsync.sync;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Items whose user is watching them (an open portfolio stream, a recent portfolio read):
 * their webhook runs wait in the {@link LaunchTier#WATCHED} tier, ahead of other
 * webhooks' runs, on every node. Thread-safe.
 */
@Component
public class WatchedItems {

	private final JdbcClient jdbc;

	WatchedItems(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Marks {@code itemIds} watched for {@code window} from now, and moves their webhook
	 * runs already waiting into the watched tier.
	 */
	@Transactional
	public void watching(Collection<String> itemIds, Duration window) {
		if (itemIds.isEmpty()) {
			return;
		}
		List<String> ids = List.copyOf(new java.util.TreeSet<>(itemIds));
		this.jdbc
			.sql("""
					INSERT INTO sync_watched_items (item_id, watched_until)
					SELECT item_id, now() + make_interval(secs => :seconds) FROM unnest(CAST(:ids AS text[])) AS t(item_id)
					ON CONFLICT (item_id) DO UPDATE SET watched_until = greatest(sync_watched_items.watched_until, EXCLUDED.watched_until)
					""")
			.param("seconds", (double) window.toSeconds())
			.param("ids", ids.toArray(String[]::new))
			.update();
		this.jdbc.sql("""
				UPDATE sync_requests SET tier = :watched
				WHERE state = 'PENDING' AND tier = :webhook AND scope_key IN (:scopes)
				""")
			.param("watched", LaunchTier.WATCHED.ordinal())
			.param("webhook", LaunchTier.WEBHOOK.ordinal())
			.param("scopes", ids.stream().map((id) -> SyncScope.item(id).key()).toList())
			.update();
	}

}
