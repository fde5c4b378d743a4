package dev.plaidsync.sync.pipeline;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * Plaid's amounts come as doubles; they are stored as {@code numeric}, from their
 * shortest decimal form.
 */
public final class PlaidDecimals {

	private PlaidDecimals() {
	}

	public static @Nullable BigDecimal of(@Nullable Double value) {
		return (value != null) ? BigDecimal.valueOf(value) : null;
	}

}
