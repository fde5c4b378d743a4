package dev.plaidsync.operations;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import dev.plaidsync.common.Page;
import dev.plaidsync.items.AccessTokenKeys;
import dev.plaidsync.sync.MaintenanceJobs;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Retiring an access-token key: {@code POST /ops/token-reencrypt} starts
 * {@code tokenReencryptJob} (progress and failed items under {@code /ops/executions/{id}}
 * like every job), and {@code GET /ops/items/unreadable-tokens} lists the items whose key
 * {@code PLAIDSYNC_TOKEN_KEY} no longer has.
 */
@RestController
class OpsTokenKeysController {

	private final AccessTokenKeys keys;

	private final MaintenanceJobs jobs;

	private final OpsAudit audit;

	OpsTokenKeysController(AccessTokenKeys keys, MaintenanceJobs jobs, OpsAudit audit) {
		this.keys = keys;
		this.jobs = jobs;
		this.audit = audit;
	}

	@PostMapping("/ops/token-reencrypt")
	ReencryptionStarted reencrypt(HttpServletRequest request) {
		String target = "key " + this.keys.currentKeyId();
		try {
			JobExecution execution = this.jobs.startTokenReencryption(this.keys.currentKeyId());
			this.audit.record(request, "re-encrypt tokens", target, "STARTED", "execution " + execution.getId());
			return new ReencryptionStarted(execution.getId(), this.keys.currentKeyId(), execution.getStatus().name());
		}
		catch (MaintenanceJobs.AlreadyRunning running) {
			this.audit.record(request, "re-encrypt tokens", target, "REFUSED", running.getMessage());
			throw OpsException.conflict(running.getMessage());
		}
		catch (Exception ex) {
			this.audit.record(request, "re-encrypt tokens", target, "FAILED", OpsExecutionsController.realCause(ex));
			throw OpsException.conflict("Could not start the re-encryption: " + OpsExecutionsController.realCause(ex));
		}
	}

	@GetMapping("/ops/items/unreadable-tokens")
	ResponseEntity<UnreadableTokens> unreadableTokens(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size) {
		Page<AccessTokenKeys.UnreadableToken> items = this.keys
			.itemsWithUnreadableTokens(OpsLists.request(page, size, null, 50));
		return OpsLists.withTotal(items, new UnreadableTokens(this.keys.currentKeyId(), items.total(), items.items()));
	}

	/**
	 * @param total how many items have a token no configured key reads (counted up to
	 * {@link Page#COUNT_CAP})
	 * @param items one page of them, by item
	 */
	record UnreadableTokens(String currentKeyId, long total, List<AccessTokenKeys.UnreadableToken> items) {
	}

	record ReencryptionStarted(long jobExecutionId, String keyId, String status) {
	}

}
