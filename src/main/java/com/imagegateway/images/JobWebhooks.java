package com.imagegateway.images;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;

/**
 * Deliveries of jobs' events to the webhooks their callers named: what the images feature
 * needs of the webhooks feature, which implements it.
 */
public interface JobWebhooks {

	/**
	 * The webhook a caller asks for, once checked; a {@code 400} problem on the field
	 * {@code webhook} if refused.
	 */
	Mono<String> check(GatewayClient client, String url);

	/**
	 * A job with a webhook was stored in this state: the deliveries of the events it has
	 * reached are queued, each once however often this is called.
	 */
	Mono<Void> recorded(Job job);

	/** The job's deliveries so far, in the order of its events. */
	Mono<List<Delivery>> deliveries(Job job);

	/**
	 * One event's delivery as the job's owner sees it.
	 *
	 * @param status {@code pending} (being tried), {@code delivered}, {@code failed}
	 * (given up after {@code gateway.webhooks.retry-for}) or {@code gone} (the receiver
	 * answered {@code 410})
	 * @param lastError why the last attempt failed; null once delivered
	 */
	@Schema(name = "WebhookDelivery", description = "One event's delivery to the job's webhook.")
	record Delivery(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) WebhookEvent event,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {
					"pending", "delivered", "failed", "gone" }) String status,
			@Schema(description = "Attempts so far.", requiredMode = Schema.RequiredMode.REQUIRED) int attempts,
			@Schema(description = "Why the last attempt failed.", nullable = true) @Nullable String lastError){

		public boolean settled() {
			return !"pending".equals(this.status);
		}

	}

}
