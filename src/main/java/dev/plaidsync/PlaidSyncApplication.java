package dev.plaidsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PlaidSyncApplication {

	public static void main(String[] args) {
		SpringApplication.run(PlaidSyncApplication.class, args);
	}

}
