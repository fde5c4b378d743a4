package dev.plaidsync.sync;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How one {@link SyncLauncher#request} ended.
 *
 * @param jobExecutionId the execution that served it (the last one, after a resume); null
 * when no run started
 * @param runStatus COMPLETED, FAILED, STOPPED, ABANDONED, or NOT_RUN when no run could
 * start for it
 * @param items one result per item of an ITEM or USER scope; empty for ALL
 */
public record RequestOutcome(long requestId, String jobName, String scopeKey, @Nullable Long jobExecutionId,
		String runStatus, Instant requestedAt, Instant endedAt, List<ItemResult> items) {

	/**
	 * Whether every item in scope had its data written by a fetch that started after this
	 * request.
	 */
	public boolean allWritten() {
		return "COMPLETED".equals(this.runStatus) && this.items.stream().allMatch(ItemResult::written);
	}

	/**
	 * One item's part in the run.
	 *
	 * @param written the item's data for this job was stored from a fetch that started
	 * after the run began
	 * @param errorCode Plaid's code (or the engine's, such as {@code ITEM_REVOKED}) when
	 * it was not
	 * @param retryable the failure may pass (institution down, rate limit, product not
	 * ready, the run failed); false when it needs a person (the user's login, a revoked
	 * item)
	 */
	public record ItemResult(String itemId, boolean written, @Nullable String errorCode, @Nullable String message,
			boolean retryable) {
	}

}
