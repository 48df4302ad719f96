/// The Orion-compatible NGSIv2 context broker face.
package enum ContextBrokerModule {}
