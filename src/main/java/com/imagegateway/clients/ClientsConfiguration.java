package com.imagegateway.clients;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

@Configuration(proxyBeanMethods = false)
class ClientsConfiguration {

	@Bean
	ClientsFile clientsFile(ClientsProperties properties, ObjectProvider<Validator> validator,
			ConfigurableEnvironment environment) {
		return new ClientsFile(properties.clientsFile(),
				validator.getIfUnique(() -> Validation.buildDefaultValidatorFactory().getValidator()),
				new PropertySourcesPlaceholdersResolver(environment));
	}

	@Bean
	ClientsFileWatcher clientsFileWatcher(ClientsFile file, ClientRegistry registry, ClientsProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		return new ClientsFileWatcher(file, registry, properties.clientsFileCheckInterval(),
				meters.getIfAvailable(SimpleMeterRegistry::new));
	}

}
