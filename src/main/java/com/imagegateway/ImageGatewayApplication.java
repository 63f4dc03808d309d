package com.imagegateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ImageGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(ImageGatewayApplication.class, args);
	}

}
