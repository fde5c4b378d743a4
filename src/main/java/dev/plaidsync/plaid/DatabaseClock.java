package dev.plaidsync.plaid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's clock, as seen from this node: the clock bucket4j stamps every refill of
 * the shared budget with, so that every node counts Plaid's window on one clock whatever
 * its own clock says.
 * <p>
 * bucket4j asks for the time while it holds the bucket's row lock, so the clock must
 * answer without a query: each node measures its offset to {@code clock_timestamp()}
 * every {@code plaid.budget.clock-calibration} (the best of {@value #SAMPLES} round
 * trips, NTP style: the database's reading is placed at the middle of the shortest round
 * trip, which bounds the error by half of it) and adds it to its monotonic
 * {@link System#nanoTime()}. Calibrations are taken by the threads about to use the
 * budget, before they touch a bucket, never inside bucket4j's transaction. The time this
 * clock gives never goes backwards on one node.
 */
final class DatabaseClock implements TimeMeter {

	private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

	static final int SAMPLES = 5;

	/**
	 * Above this, half a round trip to the database eats a noticeable part of the safety
	 * margin: say so.
	 */
	private static final long UNCERTAINTY_WARNING_NANOS = Duration.ofMillis(50).toNanos();

	private static final String NOW = "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

	private final DataSource dataSource;

	private final long intervalNanos;

	private final ReentrantLock calibrating = new ReentrantLock();

	private final AtomicLong lastGiven = new AtomicLong(Long.MIN_VALUE);

	private volatile Calibration calibration;

	/**
	 * @param offsetNanos the database's epoch nanoseconds minus this node's
	 * {@link System#nanoTime()}
	 * @param uncertaintyNanos half the round trip the offset was measured with: its error
	 * bound
	 * @param takenAtNanos when, in {@link System#nanoTime()}
	 */
	record Calibration(long offsetNanos, long uncertaintyNanos, long takenAtNanos) {
	}

	DatabaseClock(DataSource dataSource, Duration interval, MeterRegistry meters) {
		this.dataSource = dataSource;
		this.intervalNanos = interval.toNanos();
		Gauge.builder("plaid.budget.clock.offset", this, DatabaseClock::offsetToNodeClockSeconds)
			.description("The database's clock minus this node's wall clock, as last measured: the budget uses the "
					+ "database's, so a node's own clock drift does not matter")
			.baseUnit("seconds")
			.register(meters);
		Gauge.builder("plaid.budget.clock.uncertainty", this, DatabaseClock::uncertaintySeconds)
			.description("Half the round trip of the last measurement of the database's clock: its error bound")
			.baseUnit("seconds")
			.register(meters);
	}

	/**
	 * Measures the offset again when the last measurement is older than the interval.
	 * Only one thread measures; the others go on with the last measurement, unless there
	 * is none yet. Call it before using a bucket, never inside one.
	 */
	void calibrateIfStale() {
		Calibration current = this.calibration;
		if (current != null && System.nanoTime() - current.takenAtNanos() < this.intervalNanos) {
			return;
		}
		if (current == null) {
			this.calibrating.lock();
		}
		else if (!this.calibrating.tryLock()) {
			return;
		}
		try {
			if (this.calibration != current) {
				return;
			}
			this.calibration = measure();
		}
		catch (SQLException ex) {
			if (this.calibration == null) {
				throw new IllegalStateException("Could not read the database's clock", ex);
			}
			log.warn("Could not read the database's clock; the budget goes on with the offset measured {} s ago: {}",
					Duration.ofNanos(System.nanoTime() - this.calibration.takenAtNanos()).toSeconds(), ex.toString());
		}
		finally {
			this.calibrating.unlock();
		}
	}

	private Calibration measure() throws SQLException {
		long bestRoundTrip = Long.MAX_VALUE;
		long bestOffset = 0;
		long takenAt = 0;
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(NOW)) {
			for (int sample = 0; sample < SAMPLES; sample++) {
				long sent = System.nanoTime();
				long databaseMicros;
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					databaseMicros = result.getLong(1);
				}
				long received = System.nanoTime();
				long roundTrip = received - sent;
				if (roundTrip < bestRoundTrip) {
					bestRoundTrip = roundTrip;
					bestOffset = databaseMicros * 1_000 - (sent + roundTrip / 2);
					takenAt = received;
				}
			}
		}
		Calibration measured = new Calibration(bestOffset, bestRoundTrip / 2, takenAt);
		if (measured.uncertaintyNanos() > UNCERTAINTY_WARNING_NANOS) {
			log.warn(
					"The database's clock was read with an uncertainty of {} ms (half the shortest of {} round trips); "
							+ "the budget's safety margin assumes a few ms",
					measured.uncertaintyNanos() / 1_000_000, SAMPLES);
		}
		return measured;
	}

	/**
	 * The database's time now, in epoch nanoseconds. Before the first calibration (only
	 * if a bucket is used without {@link #calibrateIfStale()}), this node's wall clock.
	 */
	@Override
	public long currentTimeNanos() {
		Calibration current = this.calibration;
		long now = (current != null) ? System.nanoTime() + current.offsetNanos()
				: System.currentTimeMillis() * 1_000_000L;
		return this.lastGiven.accumulateAndGet(now, Math::max);
	}

	@Override
	public boolean isWallClockBased() {
		return true;
	}

	Calibration calibration() {
		return this.calibration;
	}

	private double offsetToNodeClockSeconds() {
		Calibration current = this.calibration;
		if (current == null) {
			return Double.NaN;
		}
		return (System.nanoTime() + current.offsetNanos() - System.currentTimeMillis() * 1_000_000L) / 1e9;
	}

	private double uncertaintySeconds() {
		Calibration current = this.calibration;
		return (current != null) ? current.uncertaintyNanos() / 1e9 : Double.NaN;
	}

}
