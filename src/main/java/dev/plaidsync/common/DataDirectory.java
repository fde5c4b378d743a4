package dev.plaidsync.common;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param dataDir {@code PLAIDSYNC_DATA_DIR}: the embedded database, and the secrets
 * generated for embedded mode
 */
@ConfigurationProperties("plaidsync")
record DataDirectory(@DefaultValue("./data") Path dataDir) {

	public DataDirectory {
		dataDir = dataDir.toAbsolutePath().normalize();
	}

	public Path postgresDirectory() {
		return this.dataDir.resolve("postgres");
	}

	public Path secretsDirectory() {
		return this.dataDir.resolve("secrets");
	}

}
