package dev.plaidsync.common;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether this engine is shutting down. From the moment the context starts closing (the
 * SIGTERM of a rollout), nothing new starts here; waiting work is left to the other
 * nodes.
 */
@Component
public class EngineLifecycle {

	private final AtomicBoolean shuttingDown = new AtomicBoolean();

	@EventListener(ContextClosedEvent.class)
	void contextClosing() {
		this.shuttingDown.set(true);
	}

	public boolean isShuttingDown() {
		return this.shuttingDown.get();
	}

}
