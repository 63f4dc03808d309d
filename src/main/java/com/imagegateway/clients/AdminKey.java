package com.imagegateway.clients;

import org.jspecify.annotations.Nullable;

import com.imagegateway.system.GatewayException;
import com.imagegateway.system.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Admits the operators to the operator endpoints: their key, compared the
 * {@link KeyHashes} way with every configured hash. With none configured the endpoints do
 * not exist (404); a client's key is known but not enough (403).
 */
@Component
public class AdminKey {

	private static final String BEARER = "Bearer ";

	private final KeyHashes keys;

	private final ClientRegistry clients;

	AdminKey(AdminProperties properties, ClientRegistry clients) {
		this.keys = KeyHashes.parse("gateway.admin.key-sha256", properties.keySha256());
		this.clients = clients;
	}

	/** Passes for the operators' key, throws the problem to answer otherwise. */
	public void check(@Nullable String authorization) {
		if (this.keys.isEmpty()) {
			throw Problems.notFound();
		}
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			throw new UnauthorizedException("Send the operators' key as 'Authorization: Bearer <key>'.");
		}
		String key = authorization.substring(BEARER.length()).strip();
		if (this.keys.matches(key)) {
			return;
		}
		if (this.clients.authenticate(key).isPresent()) {
			throw new GatewayException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
					"A client's key does not open the operator endpoints.");
		}
		throw new UnauthorizedException("The key is not valid.");
	}

}
