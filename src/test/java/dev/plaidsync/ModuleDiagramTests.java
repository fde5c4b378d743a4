package dev.plaidsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Modulith's {@link Documenter} draws the module diagram (C4 PlantUML) from the code on
 * every build. The committed copy the README links, {@code docs/modules/components.puml},
 * must be the one the code draws: when it is not, this test rewrites it and fails, so the
 * change shows up in the diff to commit. The Documenter lists components and
 * relationships in no fixed order, so each run of consecutive {@code Component(} or
 * {@code Rel(} lines is sorted.
 */
class ModuleDiagramTests {

	private static final Path COMMITTED = Path.of("docs/modules/components.puml");

	@Test
	void theCommittedModuleDiagramIsTheOneTheCodeDraws() throws IOException {
		Path output = Path.of("target/modulith-docs");
		new Documenter(ApplicationModules.of(PlaidSyncApplication.class),
				Documenter.Options.defaults().withOutputFolder(output.toString()))
			.writeModulesAsPlantUml(Documenter.DiagramOptions.defaults());
		String drawn = canonical(Files.readString(output.resolve("components.puml"), StandardCharsets.UTF_8));

		String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
		if (!committed.equals(drawn)) {
			Files.createDirectories(COMMITTED.getParent());
			Files.writeString(COMMITTED, drawn, StandardCharsets.UTF_8);
		}
		assertThat(committed).as("%s was out of date with the modules; it has been rewritten: commit it", COMMITTED)
			.isEqualTo(drawn);
	}

	private static String canonical(String plantUml) {
		List<String> lines = new ArrayList<>(plantUml.lines().toList());
		int start = 0;
		while (start < lines.size()) {
			String kind = kind(lines.get(start));
			int end = start + 1;
			while (kind != null && end < lines.size() && kind.equals(kind(lines.get(end)))) {
				end++;
			}
			Collections.sort(lines.subList(start, end));
			start = end;
		}
		return String.join("\n", lines) + "\n";
	}

	private static String kind(String line) {
		String trimmed = line.strip();
		return trimmed.startsWith("Component(") ? "component" : trimmed.startsWith("Rel(") ? "rel" : null;
	}

}
