package com.imagegateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ImageGatewayApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ImageGatewayApplication.class);
		String steps = System.getenv("STARTUP_STEPS");
		if (steps != null && !steps.isBlank()) {
			// where start-up spends its time, at /actuator/startup; off by default, as
			// the
			// steps are kept until read
			application.setApplicationStartup(new BufferingApplicationStartup(Integer.parseInt(steps.strip())));
		}
		application.run(args);
	}

}
