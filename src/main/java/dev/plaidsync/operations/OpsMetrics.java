package dev.plaidsync.operations;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.sync.JobExecutions;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncProgress;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the alerts watch, read from the shared database so every node reports the same:
 * stale users per product, the last successful completion of each scheduled sweep,
 * unresolved failed executions, and the nightly sweep's projected finish against its
 * window.
 */
@Component
class OpsMetrics {

	private static final Logger log = LoggerFactory.getLogger(OpsMetrics.class);

	private final JdbcClient jdbc;

	private final JobRepository jobRepository;

	private final JobExecutions executions;

	private final OpsProperties properties;

	private final String freshnessQuery;

	private final Map<String, AtomicLong> staleUsers = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

	private final AtomicLong unresolvedFailures = new AtomicLong();

	private final AtomicLong nightlyOverrunSeconds = new AtomicLong();

	OpsMetrics(JdbcClient jdbc, JobRepository jobRepository, JobExecutions executions, OpsProperties properties,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.jobRepository = jobRepository;
		this.executions = executions;
		this.properties = properties;
		this.freshnessQuery = OpsMonitoringController.read("sql/monitoring/data_freshness.sql");
		for (String product : List.of("holdings", "transactions", "balances")) {
			AtomicLong value = this.staleUsers.computeIfAbsent(product, (key) -> new AtomicLong());
			Gauge.builder("plaidsync.stale.users", value, AtomicLong::get)
				.tag("product", product)
				.description("Users whose newest sync of the product is older than its threshold")
				.register(meters);
		}
		for (SyncJob job : SyncJob.values()) {
			AtomicLong value = this.lastSuccess.computeIfAbsent(job.jobName(), (key) -> new AtomicLong());
			Gauge.builder("sync.last.success.timestamp", value, AtomicLong::get)
				.tag("job", job.jobName())
				.baseUnit("seconds")
				.description("When the job's last scheduled (scope ALL) run completed, epoch seconds; 0 if never")
				.register(meters);
		}
		Gauge.builder("plaidsync.failed.executions.unresolved", this.unresolvedFailures, AtomicLong::get)
			.description("FAILED or STOPPED executions not yet abandoned or restarted to completion")
			.register(meters);
		Gauge.builder("sync.nightly.projected.overrun", this.nightlyOverrunSeconds, AtomicLong::get)
			.baseUnit("seconds")
			.description(
					"How far past its window the running nightly holdings sweep is projected to finish; 0 when on time or idle")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${plaidsync.ops.metrics-interval:30s}", initialDelay = 0)
	void refresh() {
		OpsMonitoringController.staleCounts(this.jdbc, this.freshnessQuery, this.properties.freshness())
			.forEach((product, count) -> this.staleUsers.get(product).set(count));
		this.executions.lastScheduledCompletions().forEach((job, ended) -> {
			AtomicLong value = this.lastSuccess.get(job);
			if (value != null) {
				value.set(ended.atZone(ZoneId.systemDefault()).toEpochSecond());
			}
		});
		try {
			this.unresolvedFailures.set(this.executions.unresolvedFailures());
		}
		catch (DataAccessException ex) {
			log.warn("The unresolved-failures gauge keeps its last value ({}): its count did not finish: {}",
					this.unresolvedFailures.get(), ex.getMostSpecificCause().getMessage());
		}
		this.nightlyOverrunSeconds.set(nightlyOverrun());
	}

	private long nightlyOverrun() {
		long worst = 0;
		for (JobExecution execution : this.jobRepository.findRunningJobExecutions(SyncJob.HOLDINGS.jobName())) {
			String slot = execution.getJobParameters().getString("slot");
			if (!"ALL".equals(execution.getJobParameters().getString("scope")) || slot == null) {
				continue;
			}
			Instant windowEnd;
			try {
				windowEnd = OffsetDateTime.parse(slot).toInstant().plus(this.properties.nightlyWindow());
			}
			catch (RuntimeException notAScheduleSlot) {
				continue;
			}
			for (StepExecution step : execution.getStepExecutions()) {
				SyncProgress progress = SyncProgress.of(step);
				if (progress.eta() != null) {
					worst = Math.max(worst,
							Instant.now().plus(progress.eta()).getEpochSecond() - windowEnd.getEpochSecond());
				}
			}
		}
		return worst;
	}

}
