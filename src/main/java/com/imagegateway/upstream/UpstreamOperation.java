package com.imagegateway.upstream;

/**
 * The calls the gateway makes upstream; they differ in how failures map and may be
 * retried.
 */
public enum UpstreamOperation {

	CREATE, READ, CANCEL

}
