package dev.plaidsync.operations;

import java.time.Duration;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param token {@code PLAIDSYNC_OPS_TOKEN}: the operators' bearer token
 * @param heartbeatInterval how often this node records that it is alive
 * @param orphanAfter an execution whose node has been unseen this long is orphaned: marked FAILED and resumed
 * @param autoResume whether a live node restarts orphaned and shutdown-stopped executions on its own
 * @param shutdownWait how long a SIGTERM waits for running executions to stop at their chunk boundary
 * @param retention Spring Batch metadata and webhook events older than this are purged daily
 * @param nightlyWindow how long after its fire time the nightly holdings sweep should be done
 */
@Validated
@ConfigurationProperties("plaidsync.ops")
record OpsProperties(String token, @DefaultValue("10s") Duration heartbeatInterval,
		@DefaultValue("60s") Duration orphanAfter, @DefaultValue("true") boolean autoResume,
		@DefaultValue("60s") Duration shutdownWait, @DefaultValue("90d") Duration retention,
		@DefaultValue("5h") Duration nightlyWindow, @Valid @DefaultValue Freshness freshness) {

	@Override
	public String toString() {
		return "OpsProperties[token=<redacted>, orphanAfter=" + this.orphanAfter + ", autoResume=" + this.autoResume + "]";
	}

	/** The age past which a user's newest sync of a product is stale. */
	record Freshness(@DefaultValue("26h") Duration holdings, @DefaultValue("26h") Duration transactions,
			@DefaultValue("7h") Duration balances) {
	}

}
