package dev.plaidsync.operations;

import java.util.List;

import dev.plaidsync.items.ItemDirectory;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Find anything": items by item id, user id (or its first hex digits), institution id or
 * the start of an institution name, one page through an index; never an access token.
 */
@RestController
class OpsSearchController {

	private final ItemDirectory directory;

	OpsSearchController(ItemDirectory directory) {
		this.directory = directory;
	}

	@GetMapping("/ops/search")
	ResponseEntity<List<ItemDirectory.FoundItem>> search(@RequestParam(required = false) String q,
			@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) Integer size) {
		var request = OpsLists.request(page, size, null, 50);
		try {
			return OpsLists.answer(this.directory.search((q != null) ? q : "", request));
		}
		catch (IllegalArgumentException ex) {
			throw OpsException.badRequest(ex.getMessage());
		}
	}

}
