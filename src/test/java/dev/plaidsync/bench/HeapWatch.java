package dev.plaidsync.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The heap a phase needs, from the collector's own reports, from {@link #start()} to
 * {@link #close()}: the most heap in use at any moment (which includes garbage the
 * collector had room to leave, so it grows with {@code -Xmx}), and the most in use right
 * after a collection (what the phase really holds, plus old garbage not yet collected).
 */
final class HeapWatch implements NotificationListener, AutoCloseable {

	private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.map(MemoryPoolMXBean::getName)
		.collect(Collectors.toSet());

	private final AtomicLong peakAfterCollection = new AtomicLong();

	private final AtomicLong collections = new AtomicLong();

	private final AtomicLong collectionMillis = new AtomicLong();

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	private HeapWatch() {
	}

	static HeapWatch start() {
		HeapWatch watch = new HeapWatch();
		ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(watch, null, null);
				watch.emitters.add(emitter);
			}
		}
		return watch;
	}

	@Override
	public void handleNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long after = info.getGcInfo()
			.getMemoryUsageAfterGc()
			.entrySet()
			.stream()
			.filter((pool) -> this.heapPools.contains(pool.getKey()))
			.map(java.util.Map.Entry::getValue)
			.mapToLong(MemoryUsage::getUsed)
			.sum();
		this.peakAfterCollection.accumulateAndGet(after, Math::max);
		this.collections.incrementAndGet();
		this.collectionMillis.addAndGet(info.getGcInfo().getDuration());
	}

	/** The most heap in use at any moment since {@link #start()}, in MiB. */
	long peakUsedMiB() {
		return ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.mapToLong((pool) -> pool.getPeakUsage().getUsed())
			.sum() / (1024 * 1024);
	}

	/** The most heap in use right after a collection since {@link #start()}, in MiB. */
	long peakAfterCollectionMiB() {
		return this.peakAfterCollection.get() / (1024 * 1024);
	}

	long collections() {
		return this.collections.get();
	}

	long collectionMillis() {
		return this.collectionMillis.get();
	}

	@Override
	public void close() {
		for (NotificationEmitter emitter : this.emitters) {
			try {
				emitter.removeNotificationListener(this);
			}
			catch (ListenerNotFoundException gone) {
				// already removed
			}
		}
	}

}
