package com.imagegateway.images;

import java.net.URI;

import org.springframework.stereotype.Component;

/**
 * A job as its caller sees it, for features outside this package (a webhook's payload).
 */
@Component
public class JobViews {

	private final SignedOutputLinks links;

	JobViews(SignedOutputLinks links) {
		this.links = links;
	}

	/**
	 * The job as {@code GET /images/{id}} shows it to a caller that used {@code gateway}.
	 */
	public ImageJob of(Job job, URI gateway) {
		return ImageJob.of(job, gateway, this.links);
	}

}
