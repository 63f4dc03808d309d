package com.imagegateway.webhooks;

import java.time.Duration;

import com.imagegateway.queue.WorkQueue;

/**
 * The pending deliveries, each worked on by exactly one replica: the same kind of queue
 * as the running jobs' (with Redis its own stream, {@code igw:webhooks}), so a replica
 * that stops or dies has its deliveries taken over the same way.
 *
 * @param entries the queue, whose entries are delivery ids
 * @param takeoverAfter how long a replica that stopped answering keeps its deliveries
 * ({@code gateway.tracking.takeover-after})
 */
public record WebhookQueue(WorkQueue entries, Duration takeoverAfter) {
}
