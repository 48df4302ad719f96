/// HTTP plumbing shared by both faces: limits, errors, authentication, metrics and logs.
package enum HTTPSupportModule {}
