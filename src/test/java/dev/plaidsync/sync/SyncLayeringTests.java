package dev.plaidsync.sync;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direction between {@code sync}'s sub-packages: {@code jobs} build on
 * {@code pipeline}, which builds on {@code runtime}; {@code triggers} build on
 * {@code runtime}; nothing builds on {@code jobs} or {@code triggers}; the root is the
 * module's API, which every sub-package may use and which uses none of them. Modulith
 * checks the module's outside; this checks its inside.
 */
class SyncLayeringTests {

	private static final String SYNC = "dev.plaidsync.sync";

	/** Test classes that break the rule on purpose, in a package of the same shape. */
	private static final String FIXTURE = SYNC + ".layeringfixture";

	static ArchRule layering(String root) {
		return layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("api")
			.definedBy(root)
			.layer("runtime")
			.definedBy(root + ".runtime..")
			.layer("pipeline")
			.definedBy(root + ".pipeline..")
			.layer("jobs")
			.definedBy(root + ".jobs..")
			.layer("triggers")
			.definedBy(root + ".triggers..")
			.whereLayer("jobs")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("triggers")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("pipeline")
			.mayOnlyBeAccessedByLayers("jobs")
			.whereLayer("runtime")
			.mayOnlyBeAccessedByLayers("pipeline", "jobs", "triggers");
	}

	static ArchRule noCycles(String root) {
		return slices().matching(root + ".(*)..").should().beFreeOfCycles();
	}

	@Test
	void subPackagesDependInOneDirectionAndTheRootOnNone() {
		JavaClasses sync = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(SYNC);
		assertThat(sync.containPackage(SYNC + ".runtime")).isTrue();
		assertThat(sync.containPackage(SYNC + ".jobs")).isTrue();
		layering(SYNC).check(sync);
		noCycles(SYNC).check(sync);
	}

	@Test
	void theRuleCatchesARuntimeThatReachesUpAndARootThatReachesDown() {
		JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);
		EvaluationResult layers = layering(FIXTURE).evaluate(fixture);
		assertThat(layers.hasViolation()).isTrue();
		assertThat(layers.getFailureReport().getDetails())
			.anySatisfy((line) -> assertThat(line).contains("layeringfixture.runtime.RuntimeReachingUp")
				.contains("layeringfixture.pipeline.PipelineStep"))
			.anySatisfy((line) -> assertThat(line).contains("layeringfixture.RootReachingDown")
				.contains("layeringfixture.jobs.SomeJob"));
		assertThat(noCycles(FIXTURE).evaluate(fixture).hasViolation()).as("runtime -> pipeline -> runtime").isTrue();
	}

}
