package dev.plaidsync.operations;

import java.util.List;

import dev.plaidsync.sync.ItemRetries;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ops/items/retries}: items whose last sync failed for a transient reason (their institution down or
 * rate-limiting, Plaid failing) and wait for a follow-up run, per institution and job.
 */
@RestController
class OpsItemRetriesController {

	private final ItemRetries retries;

	OpsItemRetriesController(ItemRetries retries) {
		this.retries = retries;
	}

	@GetMapping("/ops/items/retries")
	List<ItemRetries.Waiting> waitingForRetry() {
		return this.retries.waitingByInstitution();
	}

}
