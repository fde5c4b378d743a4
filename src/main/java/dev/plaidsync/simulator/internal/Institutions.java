package dev.plaidsync.simulator.internal;

import java.util.List;

import dev.plaidsync.simulator.SimInstitution;

final class Institutions {

	static final List<SimInstitution> ALL = List.of(
			new SimInstitution("ins_900001", "Tartan Brokerage", "US", "USD", true),
			new SimInstitution("ins_900002", "Houndstooth Securities", "US", "USD", true),
			new SimInstitution("ins_900003", "Gingham Investments", "US", "USD", false),
			new SimInstitution("ins_900004", "Maple Leaf Trust", "CA", "CAD", true));

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
