package dev.plaidsync.items;

import org.springframework.modulith.NamedInterface;

/**
 * A public token this engine will not exchange: it already became another user's item.
 */
@NamedInterface("users")
public class PublicTokenRejected extends RuntimeException {

	PublicTokenRejected(String message) {
		super(message);
	}

}
