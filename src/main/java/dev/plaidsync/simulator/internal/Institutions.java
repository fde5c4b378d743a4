package dev.plaidsync.simulator.internal;

import java.util.List;

import dev.plaidsync.simulator.SimInstitution;

final class Institutions {

	static final List<SimInstitution> ALL = InstitutionCatalogue.ALL.stream()
		.map(InstitutionCatalogue.Entry::institution)
		.toList();

	private Institutions() {
	}

	static int indexOf(String institutionId) {
		for (int i = 0; i < ALL.size(); i++) {
			if (ALL.get(i).institutionId().equals(institutionId)) {
				return i;
			}
		}
		return -1;
	}

	static SimInstitution byIndex(int index) {
		return index >= 0 && index < ALL.size() ? ALL.get(index) : null;
	}

}
