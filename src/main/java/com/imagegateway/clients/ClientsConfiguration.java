package com.imagegateway.clients;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClientsConfiguration {

	@Bean
	ClientsFile clientsFile(ClientsProperties properties, ObjectProvider<jakarta.validation.Validator> validator) {
		return new ClientsFile(properties.clientsFile(), validator
			.getIfUnique(() -> jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator()));
	}

	@Bean
	ClientsFileWatcher clientsFileWatcher(ClientsFile file, ClientRegistry registry, ClientsProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		return new ClientsFileWatcher(file, registry, properties.clientsFileCheckInterval(),
				meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
	}

}
