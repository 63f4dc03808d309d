package com.imagegateway.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.config.WebFluxConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebFluxConfigurer {

	/** Largest request body the gateway reads; a prompt and model input fit easily. */
	static final DataSize MAX_REQUEST_BODY = DataSize.ofKilobytes(64);

	@Override
	public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
		// server side only: the upstream WebClient keeps its own, larger limit
		configurer.defaultCodecs().maxInMemorySize((int) MAX_REQUEST_BODY.toBytes());
	}

}
