package dev.plaidsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Modulith's {@link Documenter} draws the module diagram (C4 PlantUML) from the code on every build. The committed
 * copy the README links, {@code docs/modules/components.puml}, must be the one the code draws: when it is not, this
 * test rewrites it and fails, so the change shows up in the diff to commit.
 */
class ModuleDiagramTests {

	private static final Path COMMITTED = Path.of("docs/modules/components.puml");

	@Test
	void theCommittedModuleDiagramIsTheOneTheCodeDraws() throws IOException {
		Path output = Path.of("target/modulith-docs");
		new Documenter(ApplicationModules.of(PlaidSyncApplication.class),
				Documenter.Options.defaults().withOutputFolder(output.toString()))
			.writeModulesAsPlantUml(Documenter.DiagramOptions.defaults());
		String drawn = Files.readString(output.resolve("components.puml"), StandardCharsets.UTF_8);

		String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
		if (!committed.equals(drawn)) {
			Files.createDirectories(COMMITTED.getParent());
			Files.writeString(COMMITTED, drawn, StandardCharsets.UTF_8);
		}
		assertThat(committed).as("%s was out of date with the modules; it has been rewritten: commit it", COMMITTED)
			.isEqualTo(drawn);
	}

}
