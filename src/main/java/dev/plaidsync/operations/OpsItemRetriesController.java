package dev.plaidsync.operations;

import java.util.List;

import dev.plaidsync.sync.ItemRetries;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ops/items/retries}: items whose last sync failed for a transient reason
 * (their institution down or rate-limiting, Plaid failing) and wait for a follow-up run,
 * per institution and job: one page of (institution, job) groups, how many groups in
 * {@code X-Total-Count}.
 */
@RestController
class OpsItemRetriesController {

	private final ItemRetries retries;

	OpsItemRetriesController(ItemRetries retries) {
		this.retries = retries;
	}

	@GetMapping("/ops/items/retries")
	ResponseEntity<List<ItemRetries.Waiting>> waitingForRetry(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size) {
		return OpsLists.answer(this.retries.waitingByInstitution(OpsLists.request(page, size, null, 50)));
	}

}
