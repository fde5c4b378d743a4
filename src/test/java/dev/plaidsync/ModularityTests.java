package dev.plaidsync;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

class ModularityTests {

	@Test
	void moduleBoundariesHold() {
		ApplicationModules.of(PlaidSyncApplication.class).verify();
	}

}
