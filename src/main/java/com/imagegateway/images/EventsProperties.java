package com.imagegateway.images;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A job's event stream ({@code GET /images/{id}/events}).
 *
 * @param heartbeat how often a quiet stream sends a comment, so that proxies and load
 * balancers (which close a connection idle for 60 s, commonly) keep it open
 */
@Validated
@ConfigurationProperties("gateway.events")
public record EventsProperties(@NotNull @DefaultValue("15s") Duration heartbeat) {
}
