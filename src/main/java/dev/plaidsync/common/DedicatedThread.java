package dev.plaidsync.common;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic task on a thread of its own, for work that must never wait behind the shared
 * scheduler (the heartbeat, orphan recovery) or must not hold it for long. A failing run
 * is logged and the next one still runs. Daemon thread; {@link #close()} stops it.
 */
public final class DedicatedThread implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(DedicatedThread.class);

	private final ScheduledExecutorService executor;

	private DedicatedThread(String name) {
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Runs {@code task} every {@code interval}, whatever each run takes (runs never
	 * overlap).
	 */
	public static DedicatedThread atFixedRate(String name, Duration initialDelay, Duration interval, Runnable task) {
		DedicatedThread thread = new DedicatedThread(name);
		thread.executor.scheduleAtFixedRate(guarded(name, task), initialDelay.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
		return thread;
	}

	/**
	 * Runs {@code task} with {@code delay} between the end of one run and the start of
	 * the next.
	 */
	public static DedicatedThread withFixedDelay(String name, Duration initialDelay, Duration delay, Runnable task) {
		DedicatedThread thread = new DedicatedThread(name);
		thread.executor.scheduleWithFixedDelay(guarded(name, task), initialDelay.toMillis(), delay.toMillis(),
				TimeUnit.MILLISECONDS);
		return thread;
	}

	/** Runs {@code task} once, now, on a new thread of its own. */
	public static DedicatedThread once(String name, Runnable task) {
		DedicatedThread thread = new DedicatedThread(name);
		thread.executor.execute(guarded(name, task));
		thread.executor.shutdown();
		return thread;
	}

	private static Runnable guarded(String name, Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				log.warn("{} failed; it runs again at its next interval: {}", name, ex.toString());
			}
		};
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
