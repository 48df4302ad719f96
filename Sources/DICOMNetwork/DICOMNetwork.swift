/// DICOM network services: upper layer (PS3.8), association negotiation and DIMSE (PS3.7), SCP and SCU.
///
/// The protocol is built on the `DICOM` data model; it arrives with the network services on the roadmap.
package enum DICOMNetworkModule {}
