/// Outbound delivery of ready payloads (HTTP, MQTT) through worker pools with flow control.
package enum NotificationsModule {}
