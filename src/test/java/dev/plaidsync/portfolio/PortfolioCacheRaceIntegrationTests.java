package dev.plaidsync.portfolio;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The race a notification can lose: a portfolio read loads the user's summary from the
 * database just before a sync commits, and the sync's eviction arrives while that load is
 * still running. The old summary may answer that one read, but it must not stay cached
 * after the eviction. Likewise for the evict-everything that follows a lost notification
 * connection. And the cache is bounded.
 */
@EngineIntegrationTest
class PortfolioCacheRaceIntegrationTests {

	@Autowired
	PortfolioCache cache;

	@Test
	void aLoadThatBeganBeforeAnEvictionDoesNotLeaveItsStaleResultCached() throws Exception {
		assertNoStaleResultSurvives(false);
	}

	@Test
	void aLoadThatBeganBeforeEvictingEverythingDoesNotLeaveItsStaleResultCached() throws Exception {
		assertNoStaleResultSurvives(true);
	}

	@Test
	void theCacheIsBounded() {
		for (int n = 0; n < PortfolioCache.MAX_ENTRIES + 500; n++) {
			this.cache.get(UUID.randomUUID(), () -> Map.of("n", 1));
		}
		assertThat(this.cache.size()).isLessThanOrEqualTo(PortfolioCache.MAX_ENTRIES);
	}

	private void assertNoStaleResultSurvives(boolean evictEverything) throws Exception {
		UUID user = UUID.randomUUID();
		CountDownLatch loading = new CountDownLatch(1);
		Thread[] evictor = new Thread[1];
		Supplier<Map<String, Object>> staleLoad = () -> {
			loading.countDown();
			// the eviction has been called: it either finished already or waits for this
			// load
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> evictor[0] != null && evictor[0].getState() != Thread.State.NEW
						&& evictor[0].getState() != Thread.State.RUNNABLE);
			return Map.of("total", "stale");
		};
		CompletableFuture<Map<String, Object>> read = CompletableFuture
			.supplyAsync(() -> this.cache.get(user, staleLoad));
		assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
		Thread eviction = new Thread(() -> {
			if (evictEverything) {
				this.cache.evictAll();
			}
			else {
				this.cache.evict(user);
			}
		});
		evictor[0] = eviction;
		eviction.start();
		assertThat(read.get(10, TimeUnit.SECONDS)).containsEntry("total", "stale");
		eviction.join(10_000);

		assertThat(this.cache.get(user, () -> Map.of("total", "fresh"))).containsEntry("total", "fresh");
	}

}
