package dev.plaidsync.common;

/**
 * One page of an operator list: {@code page} from 0, {@code size} from 1 to
 * {@value #MAX_SIZE}. Every {@code /ops} list takes these two parameters and answers its
 * total beside the page ({@link Page}).
 */
public record PageRequest(int page, int size) {

	public static final int MAX_SIZE = 500;

	/**
	 * @throws BadPageRequest when the page is negative or the size outside 1 to
	 * {@value #MAX_SIZE}
	 */
	public static PageRequest of(int page, int size) {
		if (page < 0) {
			throw new BadPageRequest("page must be 0 or more (the first page is 0), not " + page);
		}
		if (size < 1 || size > MAX_SIZE) {
			throw new BadPageRequest("size must be between 1 and " + MAX_SIZE + ", not " + size);
		}
		return new PageRequest(page, size);
	}

	public long offset() {
		return (long) this.page * this.size;
	}

	/**
	 * A page or size an operator asked for that no list has: the message says which and
	 * what is allowed.
	 */
	public static class BadPageRequest extends IllegalArgumentException {

		BadPageRequest(String message) {
			super(message);
		}

	}

}
