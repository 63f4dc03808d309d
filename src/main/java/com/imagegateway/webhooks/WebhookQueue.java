package com.imagegateway.webhooks;

import com.imagegateway.images.TrackingQueue;

/**
 * The pending deliveries, each worked on by exactly one replica: the same kind of queue as
 * the running jobs' ({@link TrackingQueue}; with Redis its own stream, {@code igw:webhooks}),
 * so a replica that stops or dies has its deliveries taken over the same way.
 *
 * @param entries the queue, whose entries are delivery ids
 */
public record WebhookQueue(TrackingQueue entries) {
}
