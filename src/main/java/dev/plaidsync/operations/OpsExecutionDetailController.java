package dev.plaidsync.operations;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import dev.plaidsync.common.PageRequest;
import dev.plaidsync.items.ItemDirectory;
import dev.plaidsync.sync.ExecutionItems;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncProgress;
import dev.plaidsync.sync.SyncScope;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One execution's page: what became of its items (written, failed with Plaid's code,
 * skipped, waiting for a retry), counted by outcome and by code, its duration and rate;
 * and "restart only the failed items", which asks the launcher for a run of each failed
 * item alone.
 */
@RestController
class OpsExecutionDetailController {

	/** The most items one "restart the failed items" relaunches. */
	static final int MAX_RELAUNCH = 1000;

	private final JobRepository jobRepository;

	private final ExecutionItems executionItems;

	private final ItemDirectory directory;

	private final SyncLauncher launcher;

	private final OpsAudit audit;

	OpsExecutionDetailController(JobRepository jobRepository, ExecutionItems executionItems, ItemDirectory directory,
			SyncLauncher launcher, OpsAudit audit) {
		this.jobRepository = jobRepository;
		this.executionItems = executionItems;
		this.directory = directory;
		this.launcher = launcher;
		this.audit = audit;
	}

	@GetMapping("/ops/executions/{id}/outcomes")
	ExecutionOutcomes outcomes(@PathVariable long id) {
		JobExecution execution = existing(id);
		ExecutionItems.Counts counts = this.executionItems.counts(id);
		long writes = 0;
		long read = 0;
		long total = 0;
		for (StepExecution step : execution.getStepExecutions()) {
			writes += step.getWriteCount();
			read += step.getReadCount();
			total += SyncProgress.of(step).total();
		}
		long written = counts.listed() ? counts.writtenListed()
				: Math.max(0, writes - counts.failed() - counts.skipped());
		OffsetDateTime started = zoned(execution.getStartTime());
		OffsetDateTime ended = zoned(execution.getEndTime());
		Long seconds = (started != null)
				? Duration.between(started, (ended != null) ? ended : OffsetDateTime.now()).toSeconds() : null;
		Double perMinute = (seconds != null && seconds > 0) ? Math.round(read * 600.0 / seconds) / 10.0 : null;
		Map<String, Object> parameters = new LinkedHashMap<>();
		execution.getJobParameters()
			.parameters()
			.forEach((parameter) -> parameters.put(parameter.name(), parameter.value()));
		return new ExecutionOutcomes(id, execution.getJobInstance().getJobName(), execution.getStatus().name(),
				execution.getExitStatus().getExitCode(), parameters, zoned(execution.getCreateTime()), started, ended,
				seconds, read, total, perMinute,
				new OutcomeCounts(written, counts.failed(), counts.skipped(), counts.retrying(), counts.listed()),
				counts.byErrorCode(), execution.isRunning());
	}

	/**
	 * The execution's items, failed and skipped first; {@code outcome} filters (WRITTEN,
	 * FAILED, SKIPPED, RETRYING).
	 */
	@GetMapping("/ops/executions/{id}/items")
	ResponseEntity<List<ExecutionItems.ExecutionItem>> items(@PathVariable long id,
			@RequestParam(required = false) String outcome, @RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size) {
		existing(id);
		ExecutionItems.Outcome wanted;
		try {
			wanted = (outcome != null && !outcome.isBlank()) ? ExecutionItems.Outcome.of(outcome) : null;
		}
		catch (IllegalArgumentException ex) {
			throw OpsException.badRequest(ex.getMessage());
		}
		PageRequest request = OpsLists.request(page, size, null, 50);
		return OpsLists.answer(this.executionItems.items(id, wanted, request));
	}

	/**
	 * Asks for a run of each item the execution failed or skipped, alone (scope ITEM),
	 * through the launcher: items that need their user or are gone are left out, with
	 * why. One audit entry for the whole action.
	 */
	@PostMapping("/ops/executions/{id}/restart-failed")
	FailedItemsRelaunched restartFailed(@PathVariable long id, HttpServletRequest request) {
		JobExecution execution = existing(id);
		String jobName = execution.getJobInstance().getJobName();
		try {
			SyncJob job;
			try {
				job = SyncJob.ofJobName(jobName);
			}
			catch (IllegalArgumentException ex) {
				throw OpsException.conflict("Execution " + id + " is a " + jobName
						+ " run: only sync jobs' items run alone; restart the execution instead");
			}
			if (execution.isRunning()) {
				throw OpsException.conflict("Execution " + id + " is still " + execution.getStatus()
						+ ": restart its failed items once it has ended");
			}
			List<String> failed = this.executionItems.failedItemIds(id, MAX_RELAUNCH);
			if (failed.isEmpty()) {
				throw OpsException.conflict("Execution " + id + " has no failed item to restart");
			}
			List<Relaunched> launched = new ArrayList<>();
			List<NotRelaunched> left = new ArrayList<>();
			for (String itemId : failed) {
				String status = this.directory.item(itemId).map(ItemDirectory.FoundItem::status).orElse(null);
				if (status == null || !"ACTIVE".equals(status)) {
					left.add(new NotRelaunched(itemId, status, (status == null) ? "the item no longer exists"
							: "the item is " + status + ": a run cannot help until it is repaired"));
					continue;
				}
				SyncScope scope = SyncScope.item(itemId);
				LaunchOutcome outcome = this.launcher.request(job, scope, "ops:" + UUID.randomUUID(),
						SyncOptions.requestedFor(scope, SyncOptions.TransactionsWindow.ROUTINE));
				launched.add(
						new Relaunched(itemId, outcome.status().name(), outcome.jobExecutionId(), outcome.requestId()));
			}
			FailedItemsRelaunched answer = new FailedItemsRelaunched(id, jobName, launched, left);
			this.audit.record(request, "restart-failed", "execution " + id, "OK",
					jobName + " asked for " + launched.size() + " item(s): "
							+ String.join(", ", launched.stream().map(Relaunched::itemId).toList()) + "; left out "
							+ left.size() + ": "
							+ String.join(", ", left.stream().map(NotRelaunched::itemId).toList()));
			return answer;
		}
		catch (OpsException ex) {
			this.audit.record(request, "restart-failed", "execution " + id, "REFUSED", ex.getMessage());
			throw ex;
		}
	}

	private JobExecution existing(long id) {
		JobExecution execution;
		try {
			execution = this.jobRepository.getJobExecution(id);
		}
		catch (org.springframework.dao.DataAccessException | IllegalArgumentException missing) {
			execution = null;
		}
		if (execution == null) {
			throw OpsException.notFound("Execution " + id);
		}
		return execution;
	}

	/** Spring Batch's times are the engine's local time: given their offset here. */
	private static @Nullable OffsetDateTime zoned(@Nullable LocalDateTime local) {
		return (local != null) ? local.atZone(ZoneId.systemDefault()).toOffsetDateTime() : null;
	}

	/**
	 * An execution at a glance; times with their offset. {@code read}: items read so far
	 * of {@code total} in scope; {@code itemsPerMinute}: read over the duration (so far,
	 * while it runs).
	 */
	record ExecutionOutcomes(long id, String jobName, String status, String exitCode, Map<String, Object> parameters,
			@Nullable OffsetDateTime createTime, @Nullable OffsetDateTime startTime, @Nullable OffsetDateTime endTime,
			@Nullable Long durationSeconds, long read, long total, @Nullable Double itemsPerMinute,
			OutcomeCounts counts, List<ExecutionItems.CodeCount> byErrorCode, boolean running) {
	}

	/**
	 * {@code written}: items stored (the steps' writes less the failed and skipped);
	 * {@code writtenListed}: whether they are also listed one by one (ITEM and USER
	 * runs).
	 */
	record OutcomeCounts(long written, long failed, long skipped, long retrying, boolean writtenListed) {
	}

	record FailedItemsRelaunched(long executionId, String jobName, List<Relaunched> launched,
			List<NotRelaunched> notLaunched) {
	}

	/** {@code status}: the launcher's answer (STARTED, JOINED_PENDING, …). */
	record Relaunched(String itemId, String status, @Nullable Long jobExecutionId, long requestId) {
	}

	record NotRelaunched(String itemId, @Nullable String itemStatus, String why) {
	}

}
