package dev.plaidsync.common;

import java.time.Duration;
import java.time.Instant;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Delivers what a node left undelivered, on every node's schedule but on one node at a
 * time (ShedLock):
 * <ul>
 * <li>a publication still PUBLISHED, PROCESSING or RESUBMITTED {@code stale-after} after
 * it was last handed to a listener (published, or resubmitted: Spring Modulith stores the
 * publication date as the first resubmission date) belongs to a node that died, since a
 * live node starts a listener within {@code max-start-delay} or never; it is marked
 * FAILED, in one statement that leaves a publication completing meanwhile alone;</li>
 * <li>FAILED publications (a listener threw, or the above) are resubmitted through Spring
 * Modulith, which claims each one with a conditional update to RESUBMITTED, so no two
 * nodes run it.</li>
 * </ul>
 * Completed publications are purged once older than {@code keep-completed}. Spring
 * Modulith's own {@code republish-outstanding-events-on-restart} stays off: it resubmits
 * every incomplete publication, including those that other live nodes are processing; its
 * staleness monitor stays off too, since it marks publications failed by id after reading
 * them (one that completes in between would run again) and judges a resubmitted one by
 * its first publication date (so it is stale again at once).
 */
@Component
class EventPublications implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(EventPublications.class);

	/**
	 * Held by a node that died in a round, the lock lapses after this; a round takes
	 * milliseconds.
	 */
	private static final Duration LOCK_AT_MOST_FOR = Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final IncompleteEventPublications incomplete;

	private final CompletedEventPublications completed;

	private final ModuleEventsProperties properties;

	private final LockingTaskExecutor locking;

	EventPublications(JdbcClient jdbc, IncompleteEventPublications incomplete, CompletedEventPublications completed,
			ModuleEventsProperties properties, LockProvider lockProvider) {
		this.jdbc = jdbc;
		this.incomplete = incomplete;
		this.completed = completed;
		this.properties = properties;
		this.locking = new DefaultLockingTaskExecutor(lockProvider);
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(() -> locked("event-publications-resubmit", this::resubmit),
				this.properties.resubmitEvery());
		registrar.addFixedDelayTask(() -> locked("event-publications-purge", this::purge),
				this.properties.purgeEvery());
	}

	/**
	 * @return how many publications were found stale and marked FAILED before the failed
	 * ones were resubmitted
	 */
	int resubmit() {
		int stale = markStaleFailed();
		this.incomplete.resubmitIncompletePublications(ResubmissionOptions.defaults()
			.withBatchSize(this.properties.resubmitBatch())
			.withMaxInFlight(this.properties.resubmitBatch()));
		return stale;
	}

	int markStaleFailed() {
		int stale = this.jdbc.sql("""
				UPDATE event_publication SET status = 'FAILED'
				WHERE status IN ('PUBLISHED', 'PROCESSING', 'RESUBMITTED') AND completion_date IS NULL
				  AND coalesce(last_resubmission_date, publication_date) < now() - make_interval(secs => :stale)
				""").param("stale", this.properties.staleAfter().toMillis() / 1000.0).update();
		if (stale > 0) {
			log.warn("{} event publication(s) left undelivered by a node that stopped; resubmitting them", stale);
		}
		return stale;
	}

	void purge() {
		this.completed.deletePublicationsOlderThan(this.properties.keepCompleted());
	}

	private void locked(String name, Runnable task) {
		try {
			this.locking.executeWithLock(task,
					new LockConfiguration(Instant.now(), name, LOCK_AT_MOST_FOR, Duration.ZERO));
		}
		catch (RuntimeException ex) {
			log.warn("{} failed; the next round retries: {}", name, ex.toString());
		}
	}

}
