package dev.plaidsync.simulator.internal;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.plaidsync.simulator.SimulatorProperties;

@Configuration(proxyBeanMethods = false)
@ConditionalOnSimulator
@EnableConfigurationProperties(SimulatorProperties.class)
class SimulatorConfiguration {

	@Bean
	SimulatorEngine plaidSimulator(SimulatorProperties properties) {
		return new SimulatorEngine(properties, Clock.systemUTC());
	}

}
