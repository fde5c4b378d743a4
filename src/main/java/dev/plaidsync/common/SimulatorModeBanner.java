package dev.plaidsync.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One banner, once the engine is up, that nobody can mistake for production: in simulator
 * mode Plaid is a fake and anyone may mint a user token at {@code POST /demo/token}.
 */
@Component
class SimulatorModeBanner {

	private static final Logger log = LoggerFactory.getLogger(SimulatorModeBanner.class);

	private final Environment environment;

	SimulatorModeBanner(Environment environment) {
		this.environment = environment;
	}

	@EventListener(ApplicationReadyEvent.class)
	void announce() {
		if (DeploymentMode.isSimulator(this.environment)) {
			log.warn("""

					################################################################################
					#  SIMULATOR MODE (PLAID_ENV=simulator): NOT FOR REAL USERS OR REAL MONEY        #
					#  Plaid is the built-in simulator, and POST /demo/token mints a user token for  #
					#  any subject. Database: {}
					#  Set PLAID_ENV=sandbox or production with Plaid credentials to leave it.       #
					################################################################################""",
					DeploymentMode.usesEmbeddedDatabase(this.environment) ? "embedded (PLAIDSYNC_DATA_DIR)"
							: "external (SPRING_DATASOURCE_URL)");
		}
	}

}
