package dev.plaidsync.items;

import dev.plaidsync.common.LocalSecrets;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ItemsConfiguration {

	@Bean
	AccessTokenCipher accessTokenCipher(TokenKeyProperties properties, LocalSecrets localSecrets) {
		String spec = localSecrets.require(properties.key(), AccessTokenCipher.VARIABLE, "token-key",
				AccessTokenCipher::generateKeySpec);
		return AccessTokenCipher.fromKeySpec(spec);
	}

}
