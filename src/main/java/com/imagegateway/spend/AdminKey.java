package com.imagegateway.spend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.imagegateway.clients.ClientRegistry;
import com.imagegateway.clients.UnauthorizedException;
import com.imagegateway.system.GatewayException;
import com.imagegateway.system.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Admits the operators to the operator endpoints: their key, compared in constant time
 * with every configured hash. With none configured the endpoints do not exist (404); a
 * client's key is known but not enough (403).
 */
@Component
class AdminKey {

	private static final String BEARER = "Bearer ";

	private final List<byte[]> hashes;

	private final ClientRegistry clients;

	AdminKey(AdminProperties properties, ClientRegistry clients) {
		this.hashes = properties.keySha256().stream().map((hash) -> {
			if (!hash.matches("[0-9a-fA-F]{64}")) {
				throw new IllegalStateException("gateway.admin.key-sha256 must be the 64 hex digits of the SHA-256 of "
						+ "the operators' key, never the key itself (for example: printf %s \"$KEY\" | sha256sum)");
			}
			return HexFormat.of().parseHex(hash);
		}).toList();
		this.clients = clients;
	}

	/** Passes for the operators' key, throws the problem to answer otherwise. */
	void check(@Nullable String authorization) {
		if (this.hashes.isEmpty()) {
			throw Problems.notFound();
		}
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			throw new UnauthorizedException("Send the operators' key as 'Authorization: Bearer <key>'.");
		}
		String key = authorization.substring(BEARER.length()).strip();
		byte[] presented = sha256(key);
		boolean match = false;
		for (byte[] hash : this.hashes) {
			match |= MessageDigest.isEqual(hash, presented);
		}
		if (match) {
			return;
		}
		if (this.clients.authenticate(key).isPresent()) {
			throw new GatewayException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
					"A client's key does not open the operator endpoints.");
		}
		throw new UnauthorizedException("The key is not valid.");
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
