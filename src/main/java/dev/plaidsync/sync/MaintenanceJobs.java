package dev.plaidsync.sync;

import java.util.UUID;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The runtime's jobs that walk every item for the operators, besides the syncs:
 * {@code webhookUrlUpdateJob} points every active item's webhooks at a new URL,
 * {@code tokenReencryptJob} moves every stored access token to the current key. Each is
 * one run at a time, chunked, restartable from its last committed chunk, with progress
 * and failed items like the syncs'; the per-item work is the items module's
 * ({@code WebhookUrls}, {@code AccessTokenKeys}).
 */
@Component
public class MaintenanceJobs {

	public static final String WEBHOOK_URL_UPDATE = "webhookUrlUpdateJob";

	public static final String TOKEN_REENCRYPT = "tokenReencryptJob";

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job webhookUrlUpdateJob;

	private final Job tokenReencryptJob;

	private final JobLaunches launches;

	MaintenanceJobs(JobOperator jobOperator, JobRepository jobRepository,
			@Qualifier(WEBHOOK_URL_UPDATE) Job webhookUrlUpdateJob, @Qualifier(TOKEN_REENCRYPT) Job tokenReencryptJob,
			JobLaunches launches) {
		this.launches = launches;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.webhookUrlUpdateJob = webhookUrlUpdateJob;
		this.tokenReencryptJob = tokenReencryptJob;
	}

	/**
	 * Starts {@code webhookUrlUpdateJob} with {@code url} as its {@code url} parameter,
	 * asynchronously.
	 * @throws AlreadyRunning when a run is already going
	 */
	public JobExecution startWebhookUrlUpdate(String url) throws Exception {
		if (!this.jobRepository.findRunningJobExecutions(WEBHOOK_URL_UPDATE).isEmpty()) {
			throw new AlreadyRunning("A webhook URL update is already running; stop it or wait for it to end");
		}
		return this.launches.launch(() -> this.jobOperator.start(this.webhookUrlUpdateJob,
				new JobParametersBuilder().addString("url", url)
					.addString("slot", "ops:" + UUID.randomUUID())
					.toJobParameters()));
	}

	/**
	 * Starts {@code tokenReencryptJob} for the key {@code keyId} (the current one),
	 * asynchronously.
	 * @throws AlreadyRunning when a run is already going
	 */
	public JobExecution startTokenReencryption(String keyId) throws Exception {
		if (!this.jobRepository.findRunningJobExecutions(TOKEN_REENCRYPT).isEmpty()) {
			throw new AlreadyRunning("A token re-encryption is already running; stop it or wait for it to end");
		}
		return this.launches.launch(() -> this.jobOperator.start(this.tokenReencryptJob,
				new JobParametersBuilder().addString("keyId", keyId)
					.addString("slot", "ops:" + UUID.randomUUID())
					.toJobParameters()));
	}

	/** A run of the job is already going: one at a time. */
	public static class AlreadyRunning extends IllegalStateException {

		AlreadyRunning(String message) {
			super(message);
		}

	}

}
