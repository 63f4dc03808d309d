package com.imagegateway.images;

import java.util.List;

/**
 * The webhook a job was created with, kept with the job.
 *
 * @param url where deliveries go, as checked when the job was created
 * @param events the events to deliver
 * @param gateway the gateway's address as the caller used it, which the job's links in a
 * delivery are made against, as in an answer to that caller
 */
public record JobWebhook(String url, List<WebhookEvent> events, String gateway) {

	public JobWebhook {
		events = List.copyOf(events);
	}

	public boolean wants(WebhookEvent event) {
		return this.events.contains(event);
	}

}
