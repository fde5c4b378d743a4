package dev.plaidsync.items;

/** A public token this engine will not exchange: it already became another user's item. */
public class PublicTokenRejected extends RuntimeException {

	PublicTokenRejected(String message) {
		super(message);
	}

}
