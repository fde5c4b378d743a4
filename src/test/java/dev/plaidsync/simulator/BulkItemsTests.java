package dev.plaidsync.simulator;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.plaidsync.testsupport.SimulatorControl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /simulator/control/items/bulk}: a fleet of items in one call, each as
 * {@code POST /items} makes it, so that Plaid's endpoints serve it and its webhooks fire.
 */
class BulkItemsTests {

	private final RunningSimulator simulator = RunningSimulator.shared();

	@Test
	void createsItemsThatPlaidServesAtTheInstitutionsInTurn() {
		List<SimulatorControl.Item> items = this.simulator.control()
			.createItems(5, List.of("ins_900001", "ins_900002"), "bulk-test", null);

		assertThat(items).hasSize(5);
		assertThat(new HashSet<>(items.stream().map(SimulatorControl.Item::itemId).toList())).hasSize(5);
		for (int n = 0; n < items.size(); n++) {
			RunningSimulator.Answer holdings = this.simulator.plaid("/investments/holdings/get",
					Map.of("access_token", items.get(n).accessToken()));
			assertThat(holdings.status()).as(holdings.raw()).isEqualTo(200);
			assertThat(holdings.body().path("item").path("item_id").asString()).isEqualTo(items.get(n).itemId());
			assertThat(holdings.body().path("item").path("institution_id").asString())
				.isEqualTo((n % 2 == 0) ? "ins_900001" : "ins_900002");
			assertThat(holdings.body().path("holdings").size()).isPositive();
		}
	}

	@Test
	void aCountOutsideOneTo200000IsA400ThatSaysSo() {
		for (int count : new int[] { 0, 200_001 }) {
			RunningSimulator.Answer answer = this.simulator
				.post(this.simulator.baseUrl() + "/simulator/control/items/bulk", Map.of("count", count));
			assertThat(answer.status()).isEqualTo(400);
			assertThat(answer.body().path("error").asString()).isEqualTo("count must be between 1 and 200000");
		}
	}

}
