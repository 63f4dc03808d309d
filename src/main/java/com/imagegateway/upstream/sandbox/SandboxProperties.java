package com.imagegateway.upstream.sandbox;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The built-in simulated upstream that serves {@code sandbox: true} clients.
 *
 * @param startingFor how long a sandbox job stays {@code starting}
 * @param runFor how long after creation a sandbox job finishes
 * @param imageSize pixels on the long side of a sandbox image
 */
@Validated
@ConfigurationProperties("gateway.sandbox")
public record SandboxProperties(@NotNull @DefaultValue("200ms") Duration startingFor,
		@NotNull @DefaultValue("1s") Duration runFor, @DefaultValue("256") int imageSize) {
}
