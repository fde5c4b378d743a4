package dev.plaidsync.common;

/**
 * Configuration that stops the engine from starting. The message says what is wrong and
 * {@link #action()} what to set, so that the failure analyzer prints both without a stack
 * trace.
 */
public class StartupConfigurationException extends RuntimeException {

	private final String action;

	public StartupConfigurationException(String message, String action) {
		super(message);
		this.action = action;
	}

	public StartupConfigurationException(String message, String action, Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	public String action() {
		return this.action;
	}

}
