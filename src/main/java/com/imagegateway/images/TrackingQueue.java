package com.imagegateway.images;

import com.imagegateway.queue.WorkQueue;

/**
 * The running jobs waiting for their end, each followed by exactly one replica's
 * {@link JobTracker}; {@link JobStore#add} feeds it. With Redis, the stream
 * {@code igw:tracking}.
 *
 * @param entries the queue, whose entries are job ids
 */
public record TrackingQueue(WorkQueue entries) {
}
