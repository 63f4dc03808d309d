package com.imagegateway.clients;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A client's cache of seeded requests: a request with an explicit {@code seed} that
 * repeats an earlier one (same model and version, same whole input) is answered with the
 * earlier job's stored images instead of a new prediction.
 *
 * @param ttl how old an earlier result may be to answer (never longer than its images are
 * kept, {@code gateway.storage.retention})
 * @param sharedWith the other clients that may be answered with this client's results;
 * none by default
 */
public record ClientCache(@NotNull @DurationMin(seconds = 1) Duration ttl, @DefaultValue List<String> sharedWith) {
}
