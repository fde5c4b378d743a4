package dev.plaidsync.common;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionHandler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Runs {@code @ApplicationModuleListener}s (asynchronous, after the publisher's commit)
 * on a bounded pool of their own. A listener never starts later than
 * {@code plaidsync.events.max-start-delay} after its event was committed, and a full
 * queue takes no more: either way the publication stays incomplete in the registry and
 * {@link EventPublications} resubmits it once stale, so nothing is lost and a stale
 * publication is never still about to run on a live node.
 */
@Configuration(proxyBeanMethods = false)
class ModuleEventsConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ModuleEventsConfiguration.class);

	/**
	 * Stops after the job executors, whose last chunks and run endings still publish
	 * events.
	 */
	static final int SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 16384;

	@Bean
	ThreadPoolTaskExecutor moduleEventExecutor(ModuleEventsProperties properties, MeterRegistry meters) {
		Counter late = Counter.builder("plaidsync.module.events.deferred")
			.description("Module listener invocations left to resubmission: not started in time, or queue full")
			.register(meters);
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(properties.listenerThreads());
		executor.setMaxPoolSize(properties.listenerThreads());
		executor.setQueueCapacity(properties.queueCapacity());
		executor.setThreadNamePrefix("module-event-");
		executor.setTaskDecorator(startingInTime(properties.maxStartDelay(), late));
		executor.setRejectedExecutionHandler(leftToResubmission(late));
		executor.setAcceptTasksAfterContextClose(true);
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(10);
		executor.setPhase(SHUTDOWN_PHASE);
		return executor;
	}

	@Bean
	AsyncConfigurer moduleListenersAsync(ThreadPoolTaskExecutor moduleEventExecutor) {
		return new AsyncConfigurer() {
			@Override
			public ThreadPoolTaskExecutor getAsyncExecutor() {
				return moduleEventExecutor;
			}

			@Override
			public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
				return ModuleEventsConfiguration::listenerFailed;
			}
		};
	}

	static TaskDecorator startingInTime(Duration maxStartDelay, Counter late) {
		return (task) -> {
			long queuedAt = System.nanoTime();
			return () -> {
				Duration waited = Duration.ofNanos(System.nanoTime() - queuedAt);
				if (waited.compareTo(maxStartDelay) > 0) {
					late.increment();
					log.warn("A module listener waited {} ms to start, more than {}; it is left to resubmission",
							waited.toMillis(), maxStartDelay);
					return;
				}
				task.run();
			};
		};
	}

	private static RejectedExecutionHandler leftToResubmission(Counter late) {
		return (task, pool) -> {
			late.increment();
			log.warn("Module listener queue full ({} waiting); the publication is left to resubmission",
					pool.getQueue().size());
		};
	}

	private static void listenerFailed(Throwable failure, Method method, Object... arguments) {
		log.warn("{}.{} failed; its event publication stays incomplete and is resubmitted: {}",
				method.getDeclaringClass().getSimpleName(), method.getName(), failure.toString());
	}

}
