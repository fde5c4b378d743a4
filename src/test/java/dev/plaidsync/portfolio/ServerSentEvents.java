package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads whole server-sent events from a stream's lines, as the HTML standard's
 * {@code EventSource} parses them: {@code id:}, {@code event:} and {@code data:} fields
 * up to a blank line; comments (keep-alives) and the untyped {@code portfolio-updated}
 * skipped.
 */
final class ServerSentEvents {

	private ServerSentEvents() {
	}

	record Event(String id, String name, String data) {
	}

	/** The next event with a name, within the timeout; fails the test if none comes. */
	static Event next(UserApiClient.EventStream stream, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		String id = null;
		String name = null;
		List<String> data = new ArrayList<>();
		while (System.nanoTime() < deadline) {
			String line = stream.lines().poll(200, TimeUnit.MILLISECONDS);
			if (line == null) {
				continue;
			}
			if (line.isEmpty()) {
				if (name != null && !PortfolioStreams.EVENT.equals(name)) {
					return new Event(id, name, String.join("\n", data));
				}
				id = null;
				name = null;
				data.clear();
			}
			else if (line.startsWith("id:")) {
				id = line.substring(3).strip();
			}
			else if (line.startsWith("event:")) {
				name = line.substring(6).strip();
			}
			else if (line.startsWith("data:")) {
				data.add(line.substring(5).stripLeading());
			}
		}
		throw new AssertionError("no event on the stream within " + timeout);
	}

	/** Named events that arrive within {@code window}, as many as there are. */
	static List<Event> during(UserApiClient.EventStream stream, Duration window) throws InterruptedException {
		List<Event> events = new ArrayList<>();
		long deadline = System.nanoTime() + window.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return events;
			}
			try {
				events.add(next(stream, Duration.ofNanos(left)));
			}
			catch (AssertionError none) {
				return events;
			}
		}
	}

}
