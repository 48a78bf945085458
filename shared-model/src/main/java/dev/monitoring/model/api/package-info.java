/**
 * The HTTP and channel contract: one record per REST answer and per message on a Redis channel, as the monitor and
 * the runner send them and the gateway documents them. Field names are the contract (snake_case where the README and
 * the seeds say so, through {@code @JsonProperty}); the committed examples under {@code src/test/resources/contract}
 * are what each record's JSON must stay.
 */
package dev.monitoring.model.api;
