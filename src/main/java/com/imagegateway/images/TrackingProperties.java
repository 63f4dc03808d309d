package com.imagegateway.images;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How running jobs are followed to their end in the background. How often the upstream is
 * asked is {@code gateway.upstream.poll-interval} at first, half as long again each time,
 * up to {@code gateway.upstream.max-poll-interval}.
 *
 * @param maxAge the longest a job may run: the gateway then cancels it upstream and fails
 * it with {@code upstream_timeout}
 * @param takeoverAfter with Redis, how long a replica that stopped answering keeps its
 * jobs before another replica takes them over (half of it again, at worst, until one
 * looks)
 * @param lostAfter how many reads in a row the upstream may answer {@code 404} before the
 * job is failed as lost
 */
@Validated
@ConfigurationProperties("gateway.tracking")
public record TrackingProperties(@NotNull @DefaultValue("30m") Duration maxAge,
		@NotNull @DefaultValue("10s") Duration takeoverAfter, @DefaultValue("3") int lostAfter) {
}
