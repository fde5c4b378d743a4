package dev.plaidsync.ledger;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reconciliation gauges, read from the shared database so every node reports the same
 * (the alert takes max()): accounts with at least one break that alerts, and those breaks
 * (timing differences and breaks still within the settlement window left out).
 */
@Component
class ReconciliationMetrics {

	private final JdbcClient jdbc;

	private final AtomicLong accounts = new AtomicLong();

	private final AtomicLong breaks = new AtomicLong();

	ReconciliationMetrics(JdbcClient jdbc, MeterRegistry meters) {
		this.jdbc = jdbc;
		Gauge.builder("plaidsync.reconciliation.accounts.mismatched", this.accounts, AtomicLong::get)
			.description("Investment accounts whose daily snapshots disagree with their transactions")
			.register(meters);
		Gauge.builder("plaidsync.reconciliation.breaks", this.breaks, AtomicLong::get)
			.description("Securities and snapshot pairs whose quantity change differs from their transactions")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${plaidsync.ledger.metrics-interval:30s}", initialDelay = 0)
	void refresh() {
		this.jdbc.sql("""
				SELECT count(DISTINCT account_id), count(*) FROM reconciliation_breaks
				WHERE kind = 'break' AND alerts_from <= current_date
				""").query((rs) -> {
			this.accounts.set(rs.getLong(1));
			this.breaks.set(rs.getLong(2));
		});
	}

}
