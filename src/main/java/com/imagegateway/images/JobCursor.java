package com.imagegateway.images;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;

/**
 * A position in a client's job list, newest first: the creation time and id of the last
 * job of a page. Callers see it as an opaque string.
 */
public record JobCursor(Instant createdAt, String id) {

	/** Newest first; the id breaks ties so that the order is total. */
	public static final Comparator<JobCursor> NEWEST_FIRST = JobCursor::newestFirst;

	/**
	 * Written out rather than composed from {@code Comparator.comparing}: the composed
	 * form showed up in the create path's profile when every create was inserted into an
	 * index.
	 */
	private static int newestFirst(JobCursor a, JobCursor b) {
		int byTime = b.createdAt.compareTo(a.createdAt);
		return (byTime != 0) ? byTime : b.id.compareTo(a.id);
	}

	public static JobCursor of(Job job) {
		return new JobCursor(job.createdAt(), job.id());
	}

	public String encode() {
		String plain = this.createdAt.getEpochSecond() + "." + this.createdAt.getNano() + "." + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	public static Optional<JobCursor> decode(String encoded) {
		try {
			String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\\.", 3);
			return Optional
				.of(new JobCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]));
		}
		catch (RuntimeException malformed) {
			return Optional.empty();
		}
	}

}
