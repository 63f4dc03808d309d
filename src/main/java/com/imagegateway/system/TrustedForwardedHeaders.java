package com.imagegateway.system;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;

/**
 * {@code Forwarded} and {@code X-Forwarded-*} from a trusted proxy (an Ingress) make the
 * request's URI the public one, so that every absolute link the gateway builds from it
 * (an image's {@code url} and {@code signedUrl}, a webhook's links) is the one callers
 * use; from anyone else they are removed unread, as a caller could otherwise make the
 * gateway hand out links to a host of its choosing. Spring's transformer does the
 * parsing; this decides whose headers it reads.
 */
@Component
class TrustedForwardedHeaders implements WebFilter, Ordered {

	private final List<IpSubnetFilterRule> trusted;

	private final Transformer apply = new Transformer();

	private final Transformer remove = new Transformer();

	TrustedForwardedHeaders(ForwardedProperties properties) {
		this.trusted = properties.trustedProxies().stream().map(TrustedForwardedHeaders::rule).toList();
		this.remove.setRemoveOnly(true);
	}

	private static IpSubnetFilterRule rule(String range) {
		String[] parts = range.strip().split("/", 2);
		try {
			InetAddress address = InetAddress.ofLiteral(parts[0]);
			int prefix = (parts.length == 2) ? Integer.parseInt(parts[1]) : address.getAddress().length * 8;
			return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
		}
		catch (IllegalArgumentException invalid) {
			throw new IllegalStateException("gateway.forwarded.trusted-proxies holds '" + range
					+ "', which is not an address or a CIDR range such as 10.0.0.0/8");
		}
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.remove.hasForwardedHeaders(request)) {
			return chain.filter(exchange);
		}
		ServerHttpRequest adapted = (trusted(request.getRemoteAddress()) ? this.apply : this.remove).apply(request);
		return chain.filter(exchange.mutate().request(adapted).build());
	}

	private boolean trusted(InetSocketAddress remote) {
		if (remote == null || remote.getAddress() == null) {
			return false;
		}
		for (IpSubnetFilterRule rule : this.trusted) {
			if (rule.matches(remote)) {
				return true;
			}
		}
		return false;
	}

	/** Spring's, with its check for the headers open to this filter. */
	private static final class Transformer extends ForwardedHeaderTransformer {

		@Override
		protected boolean hasForwardedHeaders(ServerHttpRequest request) {
			return super.hasForwardedHeaders(request);
		}

	}

	@Override
	public int getOrder() {
		// before anything reads the request's URI
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
