package dev.plaidsync.notifications;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Wakes the delivery worker when this node committed an event, so it need not wait for
 * its next poll.
 */
@Component
class DeliverySignal {

	private final Semaphore poked = new Semaphore(0);

	void poke() {
		if (this.poked.availablePermits() == 0) {
			this.poked.release();
		}
	}

	/** Waits for a poke or the timeout, whichever comes first. */
	void await(Duration timeout) throws InterruptedException {
		if (this.poked.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.poked.drainPermits();
		}
	}

}
