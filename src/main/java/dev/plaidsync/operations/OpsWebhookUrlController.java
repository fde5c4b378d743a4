package dev.plaidsync.operations;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import dev.plaidsync.items.WebhookUrls;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /ops/webhook-url}: points every active item's webhooks at a new URL, as a batch job with progress. */
@RestController
class OpsWebhookUrlController {

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job webhookUrlUpdateJob;

	private final WebhookUrls webhookUrls;

	private final OpsAudit audit;

	OpsWebhookUrlController(JobOperator jobOperator, JobRepository jobRepository, Job webhookUrlUpdateJob,
			WebhookUrls webhookUrls, OpsAudit audit) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.webhookUrlUpdateJob = webhookUrlUpdateJob;
		this.webhookUrls = webhookUrls;
		this.audit = audit;
	}

	@PostMapping("/ops/webhook-url")
	WebhookUrlUpdateStarted updateWebhookUrl(@RequestBody(required = false) WebhookUrlRequest body, HttpServletRequest request) {
		String url = (body != null && body.url() != null && !body.url().isBlank()) ? body.url().strip() : this.webhookUrls.configured();
		if (!url.startsWith("https://") && !url.startsWith("http://")) {
			throw OpsException.badRequest("url must be an http(s) URL of POST /webhook/plaid");
		}
		if (!this.jobRepository.findRunningJobExecutions(WebhookUrls.UPDATE_JOB_NAME).isEmpty()) {
			this.audit.record(request, "update webhook url", url, "REFUSED", "already running");
			throw OpsException.conflict("A webhook URL update is already running; stop it or wait for it to end");
		}
		try {
			JobExecution execution = this.jobOperator.start(this.webhookUrlUpdateJob, new JobParametersBuilder()
				.addString("url", url).addString("slot", "ops:" + UUID.randomUUID()).toJobParameters());
			this.audit.record(request, "update webhook url", url, "STARTED", "execution " + execution.getId());
			return new WebhookUrlUpdateStarted(execution.getId(), url, execution.getStatus().name());
		}
		catch (Exception ex) {
			this.audit.record(request, "update webhook url", url, "FAILED", OpsExecutionsController.realCause(ex));
			throw OpsException.conflict("Could not start the webhook URL update: " + OpsExecutionsController.realCause(ex));
		}
	}

	record WebhookUrlRequest(String url) {
	}

	record WebhookUrlUpdateStarted(long jobExecutionId, String url, String status) {
	}

}
