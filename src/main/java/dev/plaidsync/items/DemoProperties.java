package dev.plaidsync.items;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param users {@code PLAIDSYNC_DEMO_USERS}: demo users seeded in simulator mode on an
 * empty database
 */
@Validated
@ConfigurationProperties("plaidsync.demo")
record DemoProperties(@Min(0) @DefaultValue("25") int users) {
}
