package dev.plaidsync.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Secrets come from the environment. Only in the embedded local mode is a missing one
 * generated into the data directory, once, readable by its owner only; anywhere else a
 * missing secret stops startup.
 */
@Component
public class LocalSecrets {

	private static final Logger log = LoggerFactory.getLogger(LocalSecrets.class);

	private final DataDirectory dataDirectory;

	private final boolean embedded;

	LocalSecrets(DataDirectory dataDirectory, Environment environment) {
		this.dataDirectory = dataDirectory;
		this.embedded = DeploymentMode.usesEmbeddedDatabase(environment);
	}

	public String require(String configured, String variable, String fileName, Supplier<String> generator) {
		if (StringUtils.hasText(configured)) {
			return configured.trim();
		}
		if (!this.embedded) {
			throw new StartupConfigurationException(variable + " is not set.",
					"Set " + variable + " from your secret store. Only the embedded local mode generates one.");
		}
		Path file = this.dataDirectory.secretsDirectory().resolve(fileName);
		try {
			if (!Files.isRegularFile(file)) {
				Files.createDirectories(file.getParent());
				Files.writeString(file, generator.get(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
				log.warn(
						"{} is not set: generated one for this local embedded setup in {} (readable by its owner only). "
								+ "Set {} explicitly anywhere else.",
						variable, file, variable);
			}
			else {
				log.info("{} is not set: using the one generated earlier in {}", variable, file);
			}
			return Files.readString(file, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new StartupConfigurationException(
					variable + " is not set, and " + file + " cannot be used: " + ex.getMessage(),
					"Set " + variable + ", or make PLAIDSYNC_DATA_DIR writable.", ex);
		}
	}

}
