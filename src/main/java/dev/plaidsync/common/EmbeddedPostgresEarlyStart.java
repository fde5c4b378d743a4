package dev.plaidsync.common;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Starts the embedded PostgreSQL on a thread of its own as soon as the environment says
 * it will be used, so that initdb and the server's start overlap the two to three seconds
 * Spring spends preparing the context. The context's {@code embeddedPostgresServer} bean
 * adopts the running server; a context that fails, or starts without adopting it (an
 * application with no embedded database bean, such as the standalone simulator), closes
 * it. Applications that never use it switch it off with
 * {@code plaidsync.embedded-db-early-start=false}. Registered in
 * {@code META-INF/spring.factories}, hence one instance per {@code SpringApplication}.
 */
public final class EmbeddedPostgresEarlyStart implements ApplicationListener<SpringApplicationEvent> {

	private volatile Starting starting;

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared
				&& DeploymentMode.usesEmbeddedDatabase(prepared.getEnvironment())
				&& prepared.getEnvironment().getProperty("plaidsync.embedded-db-early-start", Boolean.class, true)) {
			Path directory = Binder.get(prepared.getEnvironment())
				.bindOrCreate("plaidsync", DataDirectory.class)
				.postgresDirectory();
			CompletableFuture<EmbeddedPostgresServer> server = CompletableFuture.supplyAsync(
					() -> EmbeddedPostgresServer.start(directory),
					(task) -> DedicatedThread.once("embedded-postgres-start", task));
			this.starting = new Starting(directory, server, new AtomicBoolean());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.starting != null) {
			prepared.getApplicationContext()
				.getBeanFactory()
				.registerSingleton("embeddedPostgresEarlyStart", this.starting);
		}
		else if ((event instanceof ApplicationFailedEvent || event instanceof ApplicationStartedEvent)
				&& this.starting != null) {
			this.starting.closeUnlessAdopted();
		}
	}

	/** A server starting in {@code directory}, until the context's bean adopts it. */
	record Starting(Path directory, CompletableFuture<EmbeddedPostgresServer> server, AtomicBoolean adopted) {

		EmbeddedPostgresServer adopt() {
			this.adopted.set(true);
			try {
				return this.server.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException cause) {
					throw cause;
				}
				throw ex;
			}
		}

		void closeUnlessAdopted() {
			if (!this.adopted.get()) {
				this.server.thenAccept((running) -> {
					try {
						running.close();
					}
					catch (java.io.IOException ignored) {
						// the server is going away with this process in any case
					}
				});
			}
		}

	}

}
