package dev.plaidsync.operations;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import dev.plaidsync.sync.JobExecutions;
import dev.plaidsync.sync.JobLaunches;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncProgress;
import dev.plaidsync.sync.SyncScope;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Jobs and their executions: what ran, what is running (with progress and ETA), why
 * something failed and on which items, and the actions that fix it. An action that is not
 * allowed answers 409 with Spring Batch's real reason.
 */
@RestController
class OpsExecutionsController {

	private final JobExecutions executions;

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final JobLaunches launches;

	private final SyncLauncher launcher;

	private final OpsAudit audit;

	OpsExecutionsController(JobLaunches launches, JobExecutions executions, JobRepository jobRepository,
			JobOperator jobOperator, SyncLauncher launcher, OpsAudit audit) {
		this.executions = executions;
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.launches = launches;
		this.launcher = launcher;
		this.audit = audit;
	}

	@GetMapping("/ops/jobs")
	List<JobSummary> jobs() {
		Map<String, JobExecutions.Summary> last = new LinkedHashMap<>();
		this.executions.lastPerJob().forEach((summary) -> last.put(summary.jobName(), summary));
		return this.jobOperator.getJobNames()
			.stream()
			.sorted()
			.map((name) -> new JobSummary(name, last.get(name)))
			.toList();
	}

	/**
	 * Executions newest first, one page ({@code page} from 0, {@code size} or its older
	 * name {@code limit}, at most 500); the total matching is in {@code X-Total-Count},
	 * counted up to 10,000 ({@code X-Total-Count-Exact: false} beyond).
	 */
	@GetMapping("/ops/executions")
	ResponseEntity<List<JobExecutions.Summary>> executions(@RequestParam(required = false) String job,
			@RequestParam(required = false) String status, @RequestParam(required = false) Instant from,
			@RequestParam(required = false) Instant to, @RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size, @RequestParam(defaultValue = "50") int limit) {
		if (status != null && !isBatchStatus(status)) {
			throw OpsException.badRequest(
					"status must be one of COMPLETED, STARTING, STARTED, STOPPING, STOPPED, FAILED, ABANDONED, UNKNOWN");
		}
		PageRequest request = PageRequest.of(page,
				(size != null) ? size : Math.max(1, Math.min(limit, PageRequest.MAX_SIZE)));
		return OpsLists.answer(Page.of(this.executions.find(job, status, from, to, request),
				this.executions.count(job, status, from, to)));
	}

	@GetMapping("/ops/executions/{id}")
	ExecutionDetail execution(@PathVariable long id) {
		JobExecution execution = existing(id);
		Map<String, Object> parameters = new LinkedHashMap<>();
		execution.getJobParameters()
			.parameters()
			.forEach((parameter) -> parameters.put(parameter.name(), parameter.value()));
		List<StepDetail> steps = new ArrayList<>();
		for (StepExecution step : execution.getStepExecutions()) {
			SyncProgress progress = SyncProgress.of(step);
			steps.add(new StepDetail(step.getStepName(), step.getStatus().name(), step.getReadCount(),
					step.getWriteCount(), step.getSkipCount(), step.getCommitCount(), step.getRollbackCount(),
					progress.failed(), progress, reason(step.getExitStatus().getExitDescription())));
		}
		return new ExecutionDetail(execution.getId(), execution.getJobInstance().getJobName(),
				execution.getStatus().name(), execution.getExitStatus().getExitCode(),
				reason(execution.getExitStatus().getExitDescription()), execution.getCreateTime(),
				execution.getStartTime(), execution.getEndTime(), parameters, steps, execution.isRunning(),
				this.executions.ownership(id), this.executions.failedItems(id));
	}

	@PostMapping("/ops/executions/{id}/restart")
	ExecutionRestarted restart(@PathVariable long id, HttpServletRequest request) {
		JobExecution execution = existing(id);
		return act(request, "restart", id, () -> {
			JobExecution restarted;
			try {
				restarted = this.launches.launch(() -> this.jobOperator.restart(execution));
			}
			catch (Exception ex) {
				throw OpsException
					.conflict("Cannot restart execution " + id + " (" + execution.getStatus() + "): " + realCause(ex));
			}
			return new ExecutionRestarted(id, restarted.getId(), restarted.getStatus().name());
		});
	}

	@PostMapping("/ops/executions/{id}/stop")
	ExecutionStopping stop(@PathVariable long id, HttpServletRequest request) {
		JobExecution execution = existing(id);
		return act(request, "stop", id, () -> {
			try {
				this.jobOperator.stop(execution);
			}
			catch (Exception ex) {
				throw OpsException.conflict("Cannot stop execution " + id + " (" + execution.getStatus()
						+ "): only STARTING or STARTED executions stop; " + realCause(ex));
			}
			return new ExecutionStopping(id, existing(id).getStatus().name(),
					"Stopping at the next chunk boundary; it can be restarted from there");
		});
	}

	@PostMapping("/ops/executions/{id}/abandon")
	ExecutionAbandoned abandon(@PathVariable long id, HttpServletRequest request) {
		JobExecution execution = existing(id);
		return act(request, "abandon", id, () -> {
			JobExecution abandoned;
			try {
				abandoned = this.jobOperator.abandon(execution);
			}
			catch (Exception ex) {
				throw OpsException.conflict("Cannot abandon execution " + id + " (" + execution.getStatus()
						+ "): stop it first; " + realCause(ex));
			}
			return new ExecutionAbandoned(id, abandoned.getStatus().name());
		});
	}

	@PostMapping("/ops/jobs/{name}/launch")
	LaunchOutcome launch(@PathVariable String name, @RequestBody LaunchRequest body, HttpServletRequest request) {
		SyncJob job;
		try {
			job = SyncJob.ofJobName(name);
		}
		catch (IllegalArgumentException ex) {
			throw OpsException.notFound("Job " + name);
		}
		SyncScope scope = body.toScope();
		SyncOptions.TransactionsWindow window = "FULL".equalsIgnoreCase(body.window())
				? SyncOptions.TransactionsWindow.FULL : SyncOptions.TransactionsWindow.ROUTINE;
		LaunchOutcome outcome = this.launcher.request(job, scope, "ops:" + UUID.randomUUID(),
				SyncOptions.requestedFor(scope, window));
		this.audit.record(request, "launch", name + " " + scope.key(), outcome.status().name(), outcome.message());
		return outcome;
	}

	private <T> T act(HttpServletRequest request, String action, long id, java.util.function.Supplier<T> work) {
		try {
			T result = work.get();
			this.audit.record(request, action, "execution " + id, "OK", String.valueOf(result));
			return result;
		}
		catch (OpsException ex) {
			this.audit.record(request, action, "execution " + id, "REFUSED", ex.getMessage());
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

	/**
	 * Spring Batch wraps the real reason, even "already complete", in a misleading
	 * message.
	 */
	static String realCause(Throwable failure) {
		return JobExecutions.realCause(failure);
	}

	/**
	 * The readable reason in an exit description: the deepest "Caused by" line, or the
	 * first line.
	 */
	static String reason(String exitDescription) {
		if (exitDescription == null || exitDescription.isBlank()) {
			return null;
		}
		String reason = exitDescription.lines().findFirst().orElse(exitDescription);
		for (String line : exitDescription.lines().toList()) {
			if (line.startsWith("Caused by: ")) {
				reason = line.substring("Caused by: ".length());
			}
		}
		int colon = reason.indexOf(": ");
		boolean startsWithClassName = colon > 0 && reason.substring(0, colon).matches("[\\w.$]+");
		return startsWithClassName ? reason.substring(colon + 2) : reason;
	}

	private static boolean isBatchStatus(String status) {
		try {
			BatchStatus.valueOf(status);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	record LaunchRequest(String scope, String userId, String itemId, String window) {

		SyncScope toScope() {
			if (this.scope == null) {
				throw OpsException.badRequest("scope is required: ALL, USER (with userId) or ITEM (with itemId)");
			}
			return switch (this.scope.toUpperCase(java.util.Locale.ROOT)) {
				case "ALL" -> SyncScope.all();
				case "USER" -> {
					try {
						yield SyncScope.user(UUID.fromString(require(this.userId, "userId")));
					}
					catch (IllegalArgumentException ex) {
						throw OpsException.badRequest("userId must be a user's uuid");
					}
				}
				case "ITEM" -> SyncScope.item(require(this.itemId, "itemId"));
				default -> throw OpsException.badRequest("scope must be ALL, USER or ITEM");
			};
		}

		private static String require(String value, String name) {
			if (value == null || value.isBlank()) {
				throw OpsException.badRequest(name + " is required for this scope");
			}
			return value;
		}

	}

	/** A job this engine runs, with its newest execution (null when it never ran). */
	record JobSummary(String name, JobExecutions.Summary lastExecution) {
	}

	/**
	 * One execution in full: its identifying {@code parameters} by name, its steps, the
	 * node that owns it ({@code ownership}, the {@code job_execution_owners} row; empty
	 * when none), and the items it failed.
	 */
	record ExecutionDetail(long id, String jobName, String status, String exitCode, String reason,
			LocalDateTime createTime, LocalDateTime startTime, LocalDateTime endTime, Map<String, Object> parameters,
			List<StepDetail> steps, boolean running, Map<String, Object> ownership,
			List<JobExecutions.FailedItem> failedItems) {
	}

	/**
	 * {@code failureCount}: items this step recorded as failed; {@code progress}: done of
	 * total, rate and ETA.
	 */
	record StepDetail(String name, String status, long readCount, long writeCount, long skipCount, long commitCount,
			long rollbackCount, long failureCount, SyncProgress progress, String reason) {
	}

	/**
	 * {@code restartedAs}: the new execution that carries on from the last committed
	 * chunk.
	 */
	record ExecutionRestarted(long id, long restartedAs, String status) {
	}

	record ExecutionStopping(long id, String status, String message) {
	}

	record ExecutionAbandoned(long id, String status) {
	}

}
