package dev.monitoring.monitor.notify.receivers;

/**
 * What a receiver answered to one attempt.
 *
 * @param accepted   the receiver took it (a 2xx answer, the SMTP server accepted the mail)
 * @param statusCode the HTTP status, or 0 when there was none (SMTP, timeout, connection refused)
 * @param detail     a short reason for people (no secrets, cut to 300 characters)
 */
public record DeliveryResult(boolean accepted, int statusCode, String detail, long durationMillis) {
}
