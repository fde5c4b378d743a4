package dev.plaidsync.notifications;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class NotificationsConfiguration {

	@Bean
	DeliveryTarget deliveryTarget(NotificationProperties properties) {
		return DeliveryTarget.of(properties.webhook());
	}

}
