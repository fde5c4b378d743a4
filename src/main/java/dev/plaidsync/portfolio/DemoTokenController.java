package dev.plaidsync.portfolio;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /demo/token {"userId": "..."}} answers {@code {"token": "..."}}: a user JWT
 * signed with the engine's demo key, for trying the API against the simulator. Registered
 * only with {@code PLAID_ENV=simulator}; in any other mode the path does not exist.
 */
@RestController
@ConditionalOnProperty(name = "plaid.env", havingValue = "simulator")
class DemoTokenController {

	private final UserTokens userTokens;

	private final UserAuthProperties properties;

	DemoTokenController(UserTokens userTokens, UserAuthProperties properties) {
		this.userTokens = userTokens;
		this.properties = properties;
	}

	@PostMapping("/demo/token")
	DemoToken token(@RequestBody DemoTokenRequest request) {
		String userId = (request.userId() != null) ? request.userId().trim() : "";
		if (userId.isEmpty() || userId.length() > 255) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_user_id",
					"Send {\"userId\": \"...\"}: any string of 1-255 characters names the demo user.");
		}
		Instant now = Instant.now();
		String token = this.userTokens.demoToken(userId, now, now.plus(this.properties.demoTokenTtl()))
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "demo_tokens_off",
					"Demo tokens are off because PLAIDSYNC_AUTH_* configures an identity provider; get a token from it."));
		return new DemoToken(token, now.plus(this.properties.demoTokenTtl()).toString());
	}

	record DemoTokenRequest(@JsonProperty("userId") String userId) {
	}

	/** A bearer token for the demo user, and when it expires. */
	record DemoToken(String token, @JsonProperty("expires_at") String expiresAt) {
	}

}
