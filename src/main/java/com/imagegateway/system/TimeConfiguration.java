package com.imagegateway.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TimeConfiguration {

	/** One clock for every time the gateway records, so tests can control it. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
