package dev.plaidsync.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The ids a log line concerns, in the MDC, where the structured (ECS) console log writes
 * them as fields of every line and the plain one ignores them. A {@link Scope} sets them
 * for the code it encloses and, when closed, puts back what was there before, so that a
 * pooled thread never carries one task's ids into the next. Never put a secret here.
 */
public final class LogContext {

	public static final String ITEM_ID = "item_id";

	public static final String USER_ID = "user_id";

	public static final String EXECUTION_ID = "execution_id";

	public static final String WEBHOOK_EVENT_ID = "webhook_event_id";

	private LogContext() {
	}

	/** A scope that sets nothing yet; {@link Scope#put} adds to it. */
	public static Scope open() {
		return new Scope();
	}

	/**
	 * The ids this thread has now, to be set on another thread with
	 * {@link Snapshot#open()}.
	 */
	public static Snapshot snapshot() {
		Map<String, String> ids = MDC.getCopyOfContextMap();
		return new Snapshot((ids != null) ? Map.copyOf(ids) : Map.of());
	}

	/** Removes every id this class names: for the end of a request or a pooled task. */
	public static void clear() {
		MDC.remove(ITEM_ID);
		MDC.remove(USER_ID);
		MDC.remove(EXECUTION_ID);
		MDC.remove(WEBHOOK_EVENT_ID);
	}

	/** Ids taken from one thread, for work it hands to another. */
	public record Snapshot(Map<String, String> ids) {

		/** A scope on the current thread that sets the snapshot's ids. */
		public Scope open() {
			Scope scope = LogContext.open();
			this.ids.forEach(scope::put);
			return scope;
		}

	}

	/** Ids set for a stretch of code, and restored to their previous values on close. */
	public static final class Scope implements AutoCloseable {

		private final Deque<Previous> previous = new ArrayDeque<>();

		private Scope() {
		}

		/**
		 * Sets {@code key} for the rest of this scope; a null value removes it. Returns
		 * this scope.
		 */
		public Scope put(String key, @Nullable Object value) {
			this.previous.push(new Previous(key, MDC.get(key)));
			if (value == null) {
				MDC.remove(key);
			}
			else {
				MDC.put(key, value.toString());
			}
			return this;
		}

		@Override
		public void close() {
			while (!this.previous.isEmpty()) {
				Previous entry = this.previous.pop();
				if (entry.value() == null) {
					MDC.remove(entry.key());
				}
				else {
					MDC.put(entry.key(), entry.value());
				}
			}
		}

		private record Previous(String key, @Nullable String value) {
		}

	}

}
