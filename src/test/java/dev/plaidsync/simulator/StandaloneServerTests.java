package dev.plaidsync.simulator;

import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;

class StandaloneServerTests {

	@Test
	void theStandaloneServerRunsWithoutADatabase() {
		RunningSimulator sim = RunningSimulator.shared();
		assertThat(sim.context().getBeanNamesForType(DataSource.class)).isEmpty();
		assertThat(sim.context().getBeansOfType(PlaidSimulator.class)).hasSize(1);
		assertThat(sim.plaid("/webhook_verification_key/get", java.util.Map.of("key_id", "x")).status()).isEqualTo(400);
	}

	@Test
	void theEngineScanNeverPicksUpTheStandaloneConfiguration() {
		assertThat(AnnotatedElementUtils.hasAnnotation(SimulatorServer.Standalone.class, Component.class)).isFalse();
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(true);
		Set<BeanDefinition> candidates = scanner.findCandidateComponents("dev.plaidsync.simulator");
		assertThat(candidates).isNotEmpty();
		for (BeanDefinition candidate : candidates) {
			Class<?> type = org.springframework.util.ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
			assertThat(AnnotatedElementUtils.hasAnnotation(type, EnableAutoConfiguration.class))
				.as("%s would bring its auto-configuration exclusions into the engine", type)
				.isFalse();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ComponentScan("dev.plaidsync.simulator.internal")
	static class ScanSimulator {

	}

	@Test
	void simulatorBeansExistOnlyWhenPlaidEnvIsSimulatorOrMissing() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(ScanSimulator.class);
		runner.run(context -> assertThat(context).hasSingleBean(PlaidSimulator.class));
		runner.withPropertyValues("plaid.env=simulator")
			.run(context -> assertThat(context).hasSingleBean(PlaidSimulator.class));
		runner.withPropertyValues("plaid.env=production")
			.run(context -> assertThat(context).doesNotHaveBean(PlaidSimulator.class)
				.doesNotHaveBean(SimulatorProperties.class));
	}

}
