package dev.plaidsync.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class LogContextTests {

	@AfterEach
	void clean() {
		MDC.clear();
	}

	@Test
	void aScopePutsBackWhatWasThereBeforeAndRemovesWhatWasNot() {
		MDC.put(LogContext.EXECUTION_ID, "12");
		try (LogContext.Scope outer = LogContext.open().put(LogContext.ITEM_ID, "item-a")) {
			try (LogContext.Scope inner = LogContext.open()
				.put(LogContext.ITEM_ID, "item-b")
				.put(LogContext.EXECUTION_ID, null)
				.put(LogContext.USER_ID, "user-b")) {
				assertThat(MDC.get(LogContext.ITEM_ID)).isEqualTo("item-b");
				assertThat(MDC.get(LogContext.EXECUTION_ID)).isNull();
			}
			assertThat(MDC.get(LogContext.ITEM_ID)).isEqualTo("item-a");
			assertThat(MDC.get(LogContext.USER_ID)).isNull();
			assertThat(MDC.get(LogContext.EXECUTION_ID)).isEqualTo("12");
		}
		assertThat(MDC.get(LogContext.ITEM_ID)).isNull();
		assertThat(MDC.get(LogContext.EXECUTION_ID)).isEqualTo("12");
	}

	@Test
	void aSnapshotCarriesIdsToAPooledThreadAndLeavesNothingBehindThere() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			MDC.put(LogContext.EXECUTION_ID, "7");
			LogContext.Snapshot run = LogContext.snapshot();
			String seen = CompletableFuture.supplyAsync(() -> {
				try (LogContext.Scope ids = run.open()) {
					return MDC.get(LogContext.EXECUTION_ID);
				}
			}, pool).get();
			String after = CompletableFuture.supplyAsync(() -> MDC.get(LogContext.EXECUTION_ID), pool).get();
			assertThat(seen).isEqualTo("7");
			assertThat(after).as("the pooled thread's next task").isNull();
		}
		finally {
			pool.shutdownNow();
		}
	}

}
