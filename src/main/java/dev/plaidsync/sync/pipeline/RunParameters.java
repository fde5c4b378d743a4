package dev.plaidsync.sync.pipeline;

import java.time.Instant;
import java.time.ZoneId;

import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.sync.runtime.CoalescingSyncLauncher;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

/** A run's parameters, read back from its step execution. */
public record RunParameters(SyncItemReaders.RunScope scope, CallPriority priority,
		SyncOptions.TransactionsWindow window) {

	public static RunParameters of(StepExecution stepExecution) {
		JobParameters parameters = stepExecution.getJobExecution().getJobParameters();
		Instant created = stepExecution.getJobExecution().getCreateTime().atZone(ZoneId.systemDefault()).toInstant();
		SyncScope scope = SyncScope.ofKey(CoalescingSyncLauncher.scopeKey(parameters));
		String priority = parameters.getString("priority");
		String window = parameters.getString("window");
		return new RunParameters(
				new SyncItemReaders.RunScope(scope, parameters.getLong("skipSyncedWithinSeconds"), created),
				(priority != null) ? CallPriority.valueOf(priority) : CallPriority.INTERACTIVE, (window != null)
						? SyncOptions.TransactionsWindow.valueOf(window) : SyncOptions.TransactionsWindow.ROUTINE);
	}

}
