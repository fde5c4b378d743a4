package dev.plaidsync.common;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.plaidsync.testsupport.EngineIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the resubmission takes from another node, and what the purge deletes, on the
 * registry's real table. Only a publication whose last hand-over to a listener is older
 * than {@code stale-after} (10 minutes) is taken: one that a live node resubmitted a
 * minute ago, and is running again (PROCESSING), is left alone, although it was first
 * published long ago. The rows carry an event type no listener knows, so the engine's own
 * schedule never runs them.
 */
@EngineIntegrationTest
class EventPublicationsIntegrationTests {

	private static final String LISTENER = "test.EventPublicationsIntegrationTests.";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EventPublications publications;

	@AfterEach
	void removeRows() {
		this.jdbc.sql("DELETE FROM event_publication WHERE listener_id LIKE :prefix")
			.param("prefix", LISTENER + "%")
			.update();
	}

	@Test
	void onlyPublicationsLastHandedToAListenerLongerAgoThanStaleAfterAreMarkedFailed() {
		insert("publishedLongAgo", "PUBLISHED", "20 minutes", "20 minutes", null);
		insert("processingLongAgo", "PROCESSING", "20 minutes", "20 minutes", null);
		insert("resubmittedLongAgo", "RESUBMITTED", "30 minutes", "20 minutes", null);
		insert("publishedJustNow", "PUBLISHED", "1 minute", "1 minute", null);
		insert("runningAgainAfterAResubmission", "PROCESSING", "30 minutes", "1 minute", null);
		insert("completedLongAgo", "COMPLETED", "30 minutes", "30 minutes", "25 minutes");

		this.publications.markStaleFailed();

		assertThat(statuses()).containsExactlyInAnyOrderEntriesOf(Map.of("publishedLongAgo", "FAILED",
				"processingLongAgo", "FAILED", "resubmittedLongAgo", "FAILED", "publishedJustNow", "PUBLISHED",
				"runningAgainAfterAResubmission", "PROCESSING", "completedLongAgo", "COMPLETED"));
	}

	@Test
	void thePurgeDeletesOnlyPublicationsCompletedLongerAgoThanKeepCompleted() {
		insert("completedTwoHoursAgo", "COMPLETED", "3 hours", "3 hours", "2 hours");
		insert("completedTenMinutesAgo", "COMPLETED", "11 minutes", "11 minutes", "10 minutes");
		insert("failedLongAgo", "FAILED", "3 hours", "3 hours", null);
		insert("publishedLongAgo", "PUBLISHED", "3 hours", "3 hours", null);

		this.publications.purge();

		assertThat(statuses()).containsOnlyKeys("completedTenMinutesAgo", "failedLongAgo", "publishedLongAgo");
	}

	private void insert(String name, String status, String publishedAgo, String handedOverAgo, String completedAgo) {
		this.jdbc.sql("""
				INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date,
				    completion_date, status, completion_attempts, last_resubmission_date)
				VALUES (:id, :listener, 'test.NoSuchEvent', '{}', now() - CAST(:publishedAgo AS interval),
				    now() - CAST(:completedAgo AS interval), :status, 1, now() - CAST(:handedOverAgo AS interval))
				""")
			.param("id", UUID.randomUUID())
			.param("listener", LISTENER + name)
			.param("publishedAgo", publishedAgo)
			.param("completedAgo", completedAgo)
			.param("status", status)
			.param("handedOverAgo", handedOverAgo)
			.update();
	}

	private Map<String, String> statuses() {
		return this.jdbc.sql("SELECT listener_id, status FROM event_publication WHERE listener_id LIKE :prefix")
			.param("prefix", LISTENER + "%")
			.query((row, number) -> Map.entry(row.getString(1).substring(LISTENER.length()), row.getString(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

}
