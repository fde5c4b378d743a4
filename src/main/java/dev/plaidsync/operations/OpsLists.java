package dev.plaidsync.operations;

import java.util.List;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;

import org.springframework.http.ResponseEntity;

/**
 * How every {@code /ops} list answers: the body is the page itself, and the total is in
 * {@code X-Total-Count} (with {@code X-Total-Count-Exact: false} when it was counted only
 * up to {@link Page#COUNT_CAP}). Lists whose body is an object carry the same headers
 * beside their own totals.
 */
final class OpsLists {

	static final String TOTAL = "X-Total-Count";

	static final String TOTAL_EXACT = "X-Total-Count-Exact";

	private OpsLists() {
	}

	/**
	 * The page asked for: {@code size}, or its older name {@code limit}, or the list's
	 * default.
	 * @throws PageRequest.BadPageRequest (a 400 with the reason) for a negative page or a
	 * size outside 1 to 500
	 */
	static PageRequest request(int page, Integer size, Integer limit, int defaultSize) {
		return PageRequest.of(page, (size != null) ? size : (limit != null) ? limit : defaultSize);
	}

	static <T> ResponseEntity<List<T>> answer(Page<T> page) {
		return withTotal(page, page.items());
	}

	static <B> ResponseEntity<B> withTotal(Page<?> page, B body) {
		return ResponseEntity.ok()
			.header(TOTAL, String.valueOf(page.total()))
			.header(TOTAL_EXACT, String.valueOf(page.totalExact()))
			.body(body);
	}

}
