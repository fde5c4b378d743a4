package dev.plaidsync.operations;

/**
 * One page of an operator list: {@code page} from 0, {@code size} from 1 to {@value #MAX_SIZE}. Lists answer their
 * total beside the page (in the body, or as {@code X-Total-Count} where the body is the list itself).
 */
record OpsPage(int page, int size) {

	static final int MAX_SIZE = 500;

	static OpsPage of(int page, int size) {
		if (page < 0) {
			throw OpsException.badRequest("page must be 0 or more (the first page is 0)");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw OpsException.badRequest("size must be between 1 and " + MAX_SIZE);
		}
		return new OpsPage(page, size);
	}

	long offset() {
		return (long) this.page * this.size;
	}

}
