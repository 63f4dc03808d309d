package com.imagegateway.webhooks;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobStatus;
import com.imagegateway.images.JobViews;
import com.imagegateway.images.JobWebhook;
import com.imagegateway.images.JobWebhooks;
import com.imagegateway.images.WebhookEvent;
import com.imagegateway.system.Problems;

import org.springframework.stereotype.Component;

/**
 * Jobs' webhooks: checked when asked for, and a delivery stored and queued for each event
 * a job reaches ({@code start} once it is seen running, {@code completed} once it is
 * settled), with the job as it was then. The {@link WebhookDeliverer} sends them.
 */
@Component
class WebhookDeliveries implements JobWebhooks {

	private final WebhookTargets targets;

	private final WebhookSecrets secrets;

	private final WebhookDeliveryStore store;

	private final JobViews views;

	private final JsonMapper json;

	private final Clock clock;

	WebhookDeliveries(WebhookTargets targets, WebhookSecrets secrets, WebhookDeliveryStore store, JobViews views,
			JsonMapper json, Clock clock) {
		this.targets = targets;
		this.secrets = secrets;
		this.store = store;
		this.views = views;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public Mono<String> check(GatewayClient client, String url) {
		if (!this.secrets.has(client.name())) {
			return Mono.error(Problems.invalidField(WebhookTargets.FIELD, "cannot be used: your client has no webhook "
					+ "secret to sign deliveries with (gateway.clients." + client.name() + ".webhook-secret)"));
		}
		return this.targets.check(url).map(URI::toString);
	}

	@Override
	public Mono<Void> recorded(Job job) {
		JobWebhook webhook = job.webhook();
		if (webhook == null) {
			return Mono.empty();
		}
		List<WebhookEvent> due = new ArrayList<>(2);
		if (webhook.wants(WebhookEvent.START) && job.status() != JobStatus.STARTING) {
			due.add(WebhookEvent.START);
		}
		if (webhook.wants(WebhookEvent.COMPLETED) && job.settled()) {
			due.add(WebhookEvent.COMPLETED);
		}
		return Flux.fromIterable(due).concatMap((event) -> Mono.defer(() -> {
			String payload = this.json.writeValueAsString(this.views.of(job, URI.create(webhook.gateway())));
			return this.store.add(StoredDelivery.pending(job.id(), job.client(), event, webhook.url(), payload,
					this.clock.instant()));
		})).then();
	}

	@Override
	public Mono<List<Delivery>> deliveries(Job job) {
		JobWebhook webhook = job.webhook();
		if (webhook == null) {
			return Mono.just(List.of());
		}
		List<String> ids = webhook.events().stream().map((event) -> StoredDelivery.id(job.id(), event)).toList();
		return this.store.findAll(ids).map((stored) -> stored.stream().map(StoredDelivery::view).toList());
	}

}
