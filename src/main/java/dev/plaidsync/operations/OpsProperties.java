package dev.plaidsync.operations;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param token {@code PLAIDSYNC_OPS_TOKEN}: the operators' bearer token
 * @param heartbeatInterval how often this node records that it is alive
 * @param orphanAfter an execution whose node has been unseen this long is orphaned: marked FAILED and resumed
 * @param autoResume whether a live node restarts orphaned and shutdown-stopped executions on its own
 * @param shutdownWait how long a SIGTERM waits for running executions to stop at their chunk boundary
 * @param retention scheduled sweeps (scope ALL), failed runs, and webhook events older than this are purged daily
 * @param nightlyWindow how long after its fire time the nightly holdings sweep should be done
 * @param recoveryInterval how often orphan recovery looks for executions of dead nodes
 * @param singleRunRetention completed single-item and single-user runs (webhooks, users) are kept this long
 * @param retentionBatch how many executions (or webhook events) one short purge transaction deletes
 */
@Validated
@ConfigurationProperties("plaidsync.ops")
record OpsProperties(String token, @DefaultValue("10s") Duration heartbeatInterval,
		@DefaultValue("60s") Duration orphanAfter, @DefaultValue("true") boolean autoResume,
		@DefaultValue("60s") Duration shutdownWait, @DefaultValue("90d") Duration retention,
		@DefaultValue("5h") Duration nightlyWindow, @Valid @DefaultValue Freshness freshness,
		@DefaultValue("15s") Duration recoveryInterval, @DefaultValue("7d") Duration singleRunRetention,
		@DefaultValue("500") @Positive int retentionBatch) {

	@Override
	public String toString() {
		return "OpsProperties[token=<redacted>, orphanAfter=" + this.orphanAfter + ", autoResume=" + this.autoResume + "]";
	}

	/** The age past which a user's newest sync of a product is stale. */
	record Freshness(@DefaultValue("26h") Duration holdings, @DefaultValue("26h") Duration transactions,
			@DefaultValue("7h") Duration balances) {
	}

}
