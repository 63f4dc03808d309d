package com.imagegateway.webhooks;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import reactor.core.scheduler.Scheduler;

/**
 * Resolves a delivery's host for Reactor Netty through {@link WebhookAddresses}, off the event
 * loop, so that the connection goes to exactly the address that was checked: a name that
 * resolved to a public address when the job was created and to an internal one now (DNS
 * rebinding) is refused here. Addresses Reactor Netty already holds resolved (IP literals) are
 * checked too.
 */
final class CheckedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final WebhookAddresses addresses;

	private final Scheduler blocking;

	CheckedAddressResolverGroup(WebhookAddresses addresses, Scheduler blocking) {
		this.addresses = addresses;
		this.blocking = blocking;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new AbstractAddressResolver<>(executor, InetSocketAddress.class) {

			@Override
			protected boolean doIsResolved(InetSocketAddress address) {
				// never: a resolved address is an IP literal, which has its check to pass too
				return false;
			}

			@Override
			protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
				CheckedAddressResolverGroup.this.blocking.schedule(() -> {
					try {
						promise.trySuccess(new InetSocketAddress(
								CheckedAddressResolverGroup.this.addresses.resolve(unresolved.getHostString()), unresolved.getPort()));
					}
					catch (Exception failure) {
						promise.tryFailure(failure);
					}
				});
			}

			@Override
			protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
				CheckedAddressResolverGroup.this.blocking.schedule(() -> {
					try {
						promise.trySuccess(List.of(new InetSocketAddress(
								CheckedAddressResolverGroup.this.addresses.resolve(unresolved.getHostString()), unresolved.getPort())));
					}
					catch (Exception failure) {
						promise.tryFailure(failure);
					}
				});
			}

		};
	}

}
