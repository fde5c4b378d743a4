package dev.plaidsync;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

class ModularityTests {

	@Test
	void moduleBoundariesHold() {
		ApplicationModules.of(PlaidSyncApplication.class).verify();
	}

	@Test
	void theLedgerUsesOnlySyncAndOnlyThePortfolioAndNotificationsUseTheLedger() {
		ApplicationModules modules = ApplicationModules.of(PlaidSyncApplication.class);
		ApplicationModule ledger = modules.getModuleByName("ledger").orElseThrow();
		// common, the open module of shared value types (the operator lists'
		// PageRequest), is everyone's
		assertThat(ledger.getDirectDependencies(modules)
			.uniqueModules()
			.map((module) -> module.getIdentifier().toString())
			.filter((name) -> !name.equals("common"))).containsExactly("sync");
		// notifications hears the ledger's one event (ReconciliationBreaksFound)
		assertThat(modules.stream()
			.filter((module) -> module.getDirectDependencies(modules).containsModuleNamed("ledger"))
			.map((module) -> module.getIdentifier().toString()))
			.containsExactlyInAnyOrder("notifications", "portfolio");
	}

}
