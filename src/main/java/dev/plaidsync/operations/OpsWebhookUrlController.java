package dev.plaidsync.operations;

import jakarta.servlet.http.HttpServletRequest;

import dev.plaidsync.items.WebhookUrls;
import dev.plaidsync.sync.MaintenanceJobs;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /ops/webhook-url}: points every active item's webhooks at a new URL, as a
 * batch job with progress.
 */
@RestController
class OpsWebhookUrlController {

	private final MaintenanceJobs jobs;

	private final WebhookUrls webhookUrls;

	private final OpsAudit audit;

	OpsWebhookUrlController(MaintenanceJobs jobs, WebhookUrls webhookUrls, OpsAudit audit) {
		this.jobs = jobs;
		this.webhookUrls = webhookUrls;
		this.audit = audit;
	}

	@PostMapping("/ops/webhook-url")
	WebhookUrlUpdateStarted updateWebhookUrl(@RequestBody(required = false) WebhookUrlRequest body,
			HttpServletRequest request) {
		String url = (body != null && body.url() != null && !body.url().isBlank()) ? body.url().strip()
				: this.webhookUrls.configured();
		if (!url.startsWith("https://") && !url.startsWith("http://")) {
			throw OpsException.badRequest("url must be an http(s) URL of POST /webhook/plaid");
		}
		try {
			JobExecution execution = this.jobs.startWebhookUrlUpdate(url);
			this.audit.record(request, "update webhook url", url, "STARTED", "execution " + execution.getId());
			return new WebhookUrlUpdateStarted(execution.getId(), url, execution.getStatus().name());
		}
		catch (MaintenanceJobs.AlreadyRunning running) {
			this.audit.record(request, "update webhook url", url, "REFUSED", "already running");
			throw OpsException.conflict(running.getMessage());
		}
		catch (Exception ex) {
			this.audit.record(request, "update webhook url", url, "FAILED", OpsExecutionsController.realCause(ex));
			throw OpsException
				.conflict("Could not start the webhook URL update: " + OpsExecutionsController.realCause(ex));
		}
	}

	record WebhookUrlRequest(String url) {
	}

	record WebhookUrlUpdateStarted(long jobExecutionId, String url, String status) {
	}

}
