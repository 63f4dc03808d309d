package com.imagegateway.storage;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The output storage {@code gateway.storage.type} names. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	@Bean
	@ConditionalOnProperty(name = "gateway.storage.type", havingValue = "filesystem", matchIfMissing = true)
	OutputStorage filesystemOutputStorage(StorageProperties properties) {
		return new FilesystemOutputStorage(properties.filesystem().root());
	}

}
