package dev.plaidsync.items;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param key {@code PLAIDSYNC_TOKEN_KEY}: see
 * {@link AccessTokenCipher#fromKeySpec(String)}
 */
@ConfigurationProperties("plaidsync.token")
record TokenKeyProperties(String key) {

	@Override
	public String toString() {
		return "TokenKeyProperties[key=<redacted>]";
	}

}
