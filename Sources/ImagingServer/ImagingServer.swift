/// The Orthanc-compatible imaging server face: REST API, ingest, find and DICOMweb.
package enum ImagingServerModule {}
