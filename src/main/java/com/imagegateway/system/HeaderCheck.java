package com.imagegateway.system;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a request whose header names or values hold control characters (a NUL, a bare
 * CR) with a {@code 400 invalid_request} problem like every other error. Netty's own
 * check, turned off ({@code server.netty.validate-headers: false} in
 * {@code application.yml}), answered a bare {@code 400} with no body and logged every
 * header name of the request on a line of its own.
 */
@Component
class HeaderCheck implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		for (Map.Entry<String, List<String>> header : exchange.getRequest().getHeaders().headerSet()) {
			if (!token(header.getKey())) {
				return Mono.error(invalid("A header name holds a character HTTP does not allow."));
			}
			for (String value : header.getValue()) {
				if (!fieldValue(value)) {
					// the name is safe to say: it passed the token check
					return Mono
						.error(invalid("The value of header " + header.getKey() + " holds a control character."));
				}
			}
		}
		return chain.filter(exchange);
	}

	/** RFC 9110's token: visible ASCII but separators. */
	private static boolean token(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

	/** RFC 9110's field value: no control character but horizontal tab. */
	private static boolean fieldValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < ' ' && c != '\t') || c == 0x7f) {
				return false;
			}
		}
		return true;
	}

	private static GatewayException invalid(String detail) {
		return new GatewayException(HttpStatus.BAD_REQUEST, "invalid_request", "Invalid request", detail);
	}

	@Override
	public int getOrder() {
		// after the access log, which records the answer; before anything reads a header
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

}
