package com.imagegateway.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Replicate-compatible upstream.
 *
 * @param baseUrl the reseller's base URL ending in {@code /replicate}; needed only when a
 * client is not a sandbox
 * @param keys the upstream {@code hk-} keys by name, so clients can be billed to
 * different keys: each the key alone or {@code {key, base-url}} for one of another
 * account or reseller; a blank one counts as not set
 * @param limits the upstream's quota, per upstream key; the gateway stays under it
 * @param pollInterval how soon a held {@code Prefer: wait} request first asks the
 * upstream again; each later ask waits half as long again, up to {@code maxPollInterval},
 * so that long jobs and many held requests do not flood the upstream (or the gateway)
 * @param maxPollInterval the longest pause between two asks of a held request
 * @param outputTtl how long the upstream keeps output files after a prediction completes
 * @param callbackUrl the public URL of this gateway's {@code POST /upstream/callback}, at
 * which the upstream reaches every replica: each create then asks the upstream to call it
 * when the prediction completes, so a job's end is recorded the moment it happens; empty:
 * the gateway only asks
 * @param webhookSecret the upstream's signing secret ({@code whsec_...}) its callbacks
 * are verified with; required with {@code callbackUrl}
 * @param callbackPollInterval with callbacks, how often the upstream is still asked about
 * a running job, for a callback that never comes
 */
@Validated
@ConfigurationProperties("gateway.upstream")
public record UpstreamProperties(@Nullable URI baseUrl, @DefaultValue Map<String, UpstreamKey> keys,
		@Valid @DefaultValue Limits limits, @NotNull @DefaultValue("500ms") Duration pollInterval,
		@NotNull @DefaultValue("5s") Duration maxPollInterval, @NotNull @DefaultValue("1h") Duration outputTtl,
		@Nullable URI callbackUrl, @Nullable String webhookSecret,
		@NotNull @DefaultValue("15s") Duration callbackPollInterval) {

	public UpstreamProperties {
		if (callbackUrl != null && (webhookSecret == null || webhookSecret.isBlank())) {
			// an unverifiable callback would let anyone finish any job
			throw new IllegalArgumentException("gateway.upstream.callback-url needs gateway.upstream.webhook-secret, "
					+ "the upstream's signing secret (whsec_...)");
		}
	}

	/** Whether the upstream reports each prediction's end to the gateway. */
	public boolean callbacks() {
		return this.callbackUrl != null;
	}

	/**
	 * The base URL of the named key's account: its own, or {@code base-url}; null when
	 * neither is set.
	 */
	public @Nullable URI baseUrlOf(String keyName) {
		UpstreamKey key = this.keys.get(keyName);
		return (key != null && key.baseUrl() != null) ? key.baseUrl() : this.baseUrl;
	}

	/** The predictions API root of a base URL, {@code {baseUrl}/v1}. */
	static String apiRoot(URI baseUrl) {
		String base = baseUrl.toString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1";
	}

	/**
	 * @param permits calls allowed per period and upstream key
	 * @param period the period the permits refill in
	 * @param maxWait how long a call may wait for a permit before the caller is told the
	 * upstream is busy
	 */
	public record Limits(@Min(1) @DefaultValue("20") int permits, @NotNull @DefaultValue("1s") Duration period,
			@NotNull @DefaultValue("500ms") Duration maxWait) {
	}

	@Override
	public String toString() {
		// keys are secrets: never print them, not even in a binding failure report
		return "UpstreamProperties[baseUrl=" + this.baseUrl + ", keys=" + this.keys.keySet() + ", callbackUrl="
				+ this.callbackUrl + "]";
	}

}
