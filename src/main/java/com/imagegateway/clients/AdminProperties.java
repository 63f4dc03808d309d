package com.imagegateway.clients;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operators' access to every client's usage ({@code GET /admin/usage}).
 *
 * @param keySha256 hex SHA-256 of the operators' key (two while it is rotated); none: the
 * operator endpoints answer 404
 */
@ConfigurationProperties("gateway.admin")
public record AdminProperties(@DefaultValue List<String> keySha256) {
}
