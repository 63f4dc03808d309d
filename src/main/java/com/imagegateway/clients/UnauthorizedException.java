package com.imagegateway.clients;

import com.imagegateway.system.GatewayException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** No key, or a key that belongs to no client. */
public class UnauthorizedException extends GatewayException {

	public UnauthorizedException(String detail) {
		super(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
		withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"image-gateway\"");
	}

}
