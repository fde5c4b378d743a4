package dev.plaidsync.operations;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param token {@code PLAIDSYNC_OPS_TOKEN}: the operators' bearer token
 * @param retention scheduled sweeps (scope ALL), failed runs, and webhook events older
 * than this are purged daily
 * @param nightlyWindow how long after its fire time the nightly holdings sweep should be
 * done
 * @param singleRunRetention completed single-item and single-user runs (webhooks, users)
 * are kept this long
 * @param retentionBatch how many executions (or webhook events) one short purge
 * transaction deletes
 * <p>
 * The job runtime's own settings under this prefix (heartbeat, orphan recovery, shutdown)
 * are bound by the sync module's {@code JobRuntimeProperties}.
 */
@Validated
@ConfigurationProperties("plaidsync.ops")
record OpsProperties(String token, @DefaultValue("90d") Duration retention, @DefaultValue("5h") Duration nightlyWindow,
		@Valid @DefaultValue Freshness freshness, @DefaultValue("7d") Duration singleRunRetention,
		@DefaultValue("500") @Positive int retentionBatch) {

	@Override
	public String toString() {
		return "OpsProperties[token=<redacted>, retention=" + this.retention + ", singleRunRetention="
				+ this.singleRunRetention + "]";
	}

	/** The age past which a user's newest sync of a product is stale. */
	record Freshness(@DefaultValue("26h") Duration holdings, @DefaultValue("26h") Duration transactions,
			@DefaultValue("7h") Duration balances) {
	}

}
