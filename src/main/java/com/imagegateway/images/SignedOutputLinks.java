package com.imagegateway.images;

import java.net.URI;

/**
 * Links to a job's stored outputs that work without a key until they expire, as every job
 * answer shows them ({@code signedUrl}).
 */
public interface SignedOutputLinks {

	/** The query parameter holding a link's expiry, in epoch seconds. */
	String EXPIRES = "expires";

	/** The query parameter holding a link's signature. */
	String SIGNATURE = "signature";

	/**
	 * When links signed now expire, in epoch seconds: the same for a while, so that a job
	 * renders the same links, and the same bytes, for that while.
	 */
	long expires();

	/** The path's signed link, absolute against the gateway address the caller used. */
	String signed(URI gateway, String path);

}
