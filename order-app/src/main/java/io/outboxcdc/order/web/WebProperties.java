package io.outboxcdc.order.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** @param maxBodySize larger request bodies are answered 413 without being read to the end */
@ConfigurationProperties("orders.http")
public record WebProperties(@DefaultValue("64KB") DataSize maxBodySize) {
}
