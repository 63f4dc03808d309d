package com.imagegateway.system;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI imageGatewayOpenApi() {
		return new OpenAPI()
			.info(new Info().title("image-gateway")
				.version("1")
				.description("Generate images through the company's model provider account with your own key. "
						+ "Errors are RFC 9457 problem details with a stable `code`."))
			// relative, so the document is the same wherever the gateway runs
			.servers(List.of(new Server().url("/").description("This gateway")))
			.components(new Components().addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("Your client key, as `Authorization: Bearer <key>`.")));
	}

}
