package com.imagegateway.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may tell the gateway its public address.
 *
 * @param trustedProxies the addresses (CIDR ranges such as {@code 10.0.0.0/8}, or single
 * addresses) whose {@code Forwarded} and {@code X-Forwarded-*} headers are believed: the
 * links the gateway hands out then carry the public scheme and host they name. From any
 * other address those headers are dropped unread. Empty: none is trusted
 */
@ConfigurationProperties("gateway.forwarded")
public record ForwardedProperties(@DefaultValue List<String> trustedProxies) {
}
