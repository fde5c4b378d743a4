package dev.plaidsync.testsupport;

import java.io.File;

import dev.plaidsync.PlaidSyncApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

/**
 * The engine as {@link EngineProcess} starts it: on a port of its own choosing, written
 * to the file the first argument names once it listens, so that the test talks to this
 * engine and never to whichever process took a port picked in advance.
 */
public final class ChildEngineMain {

	private ChildEngineMain() {
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(PlaidSyncApplication.class);
		application.addListeners(new WebServerPortFileWriter(new File(args[0])));
		String[] engineArguments = new String[args.length - 1];
		System.arraycopy(args, 1, engineArguments, 0, engineArguments.length);
		application.run(engineArguments);
	}

}
