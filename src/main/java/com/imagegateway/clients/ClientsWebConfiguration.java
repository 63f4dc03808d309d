package com.imagegateway.clients;

import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

@Configuration(proxyBeanMethods = false)
class ClientsWebConfiguration implements WebFluxConfigurer {

	static {
		// the client comes from the Authorization header, not from a request parameter
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(GatewayClient.class);
	}

	@Override
	public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
		configurer.addCustomResolver(new CallerArgumentResolver());
	}

}
