package com.imagegateway.system;

import java.util.Map;

/**
 * The authenticated client's name among a request's attributes, for metrics and the
 * access log, which need the name and nothing else of the client.
 */
public final class ClientName {

	public static final String ATTRIBUTE = ClientName.class.getName();

	private ClientName() {
	}

	public static String of(Map<String, Object> attributes, String fallback) {
		return (attributes.get(ATTRIBUTE) instanceof String name) ? name : fallback;
	}

}
