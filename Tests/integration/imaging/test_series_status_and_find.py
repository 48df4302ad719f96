"""Series completeness (ExpectedNumberOfInstances, Status, IndexInSeries), the metadata set on ingest, and
`ModalitiesInStudy` in `/tools/find`, with the values Orthanc reports for the same files."""

import http.client
import json

import requests

from conftest import SERIES_CASES, derived_file, series_case_files


def upload(atrium, data):
    response = requests.post(atrium.url + "/instances", data=data)
    assert response.status_code == 200, response.text
    return response.json()


def test_series_status(atrium):
    for series_uid, data in series_case_files():
        upload(atrium, data)
    found = requests.post(atrium.url + "/tools/find", json={
        "Level": "Series", "Query": {"PatientID": "DerivedP1"}, "Expand": True}).json()
    by_uid = {series["MainDicomTags"]["SeriesInstanceUID"]: series for series in found}
    for suffix, _, expected, status in SERIES_CASES:
        series = by_uid[f"1.2.826.0.1.3680043.10.1.{suffix}.1"]
        assert series["ExpectedNumberOfInstances"] == expected, suffix
        assert series["Status"] == status, suffix


def test_index_in_series_and_instance_metadata(atrium):
    answer = upload(atrium, derived_file("1.2.826.0.1.3680043.10.2", "1.2.826.0.1.3680043.10.2.1",
                                         "1.2.826.0.1.3680043.10.2.1.1", "CT", InstanceNumber=" 07"))
    instance = requests.get(atrium.url + answer["Path"]).json()
    assert instance["IndexInSeries"] == 7
    metadata = requests.get(atrium.url + answer["Path"] + "/metadata?expand").json()
    assert metadata["IndexInSeries"] == "07"
    assert metadata["Origin"] == "RestApi"
    assert metadata["RemoteAET"] == ""
    assert metadata["RemoteIP"] == "127.0.0.1"
    assert metadata["HttpUsername"] == ""
    assert metadata["SopClassUid"] == "1.2.840.10008.5.1.4.1.1.2"
    assert metadata["TransferSyntax"] == "1.2.840.10008.1.2.1"
    data = derived_file("1.2.826.0.1.3680043.10.2", "1.2.826.0.1.3680043.10.2.1", "1.2.826.0.1.3680043.10.2.1.1",
                        "CT", InstanceNumber=" 07")
    assert metadata["PixelDataOffset"] == str(data.rfind(b"\xe0\x7f\x10\x00"))
    assert metadata["MainDicomTagsSignature"] == requests.get(atrium.url + "/system").json()["MainDicomTags"]["Instance"]
    assert metadata["MainDicomTagsSignature"] == (
        "0008,0012;0008,0013;0008,0018;0020,0012;0020,0013;0020,0032;0020,0037;0020,0100;0020,4000;0028,0008;"
        "0054,1330")
    series = requests.get(f"{atrium.url}/series/{answer['ParentSeries']}/metadata?expand").json()
    assert sorted(series) == ["LastUpdate", "MainDicomTagsSignature", "RemoteAET"]
    assert series["RemoteAET"] == ""
    study = requests.get(f"{atrium.url}/studies/{answer['ParentStudy']}/metadata?expand").json()
    assert sorted(study) == ["LastUpdate", "MainDicomTagsSignature"]


def test_remote_ip_is_the_peer_address(atrium):
    """`RemoteIP` is the address the upload came from: a client bound to 127.0.0.2 is recorded as such."""
    data = derived_file("1.2.826.0.1.3680043.10.7", "1.2.826.0.1.3680043.10.7.1", "1.2.826.0.1.3680043.10.7.1.1",
                        "CT", patient="RemoteIPP")
    connection = http.client.HTTPConnection("127.0.0.1", atrium.port, timeout=10, source_address=("127.0.0.2", 0))
    try:
        connection.request("POST", "/instances", body=data, headers={"Content-Type": "application/dicom"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        assert response.status == 200
    finally:
        connection.close()
    metadata = requests.get(atrium.url + answer["Path"] + "/metadata/RemoteIP")
    assert metadata.status_code == 200
    assert metadata.text == "127.0.0.2"


def test_modalities_in_study(atrium):
    for series, modality in (("1", "CT"), ("2", "MR")):
        upload(atrium, derived_file("1.2.826.0.1.3680043.10.3", f"1.2.826.0.1.3680043.10.3.{series}",
                                    f"1.2.826.0.1.3680043.10.3.{series}.1", modality, patient="ModalitiesP"))
    pet = upload(atrium, derived_file("1.2.826.0.1.3680043.10.4", "1.2.826.0.1.3680043.10.4.1",
                                      "1.2.826.0.1.3680043.10.4.1.1", "PT", patient="ModalitiesP"))
    assert requests.get(atrium.url + "/tools/find").status_code == 405

    def find(value, **extra):
        body = {"Level": "Study", "Query": {"PatientID": "ModalitiesP", "ModalitiesInStudy": value}}
        body.update(extra)
        response = requests.post(atrium.url + "/tools/find", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    both_studies = find("")
    assert len(both_studies) == 2
    mixed_study = [study for study in both_studies if study != pet["ParentStudy"]][0]
    assert find("MR") == [mixed_study]
    assert find("mr") == [mixed_study]
    assert find("mr", CaseSensitive=True) == []
    assert sorted(find("MR\\PT")) == sorted(both_studies)
    assert find("P?") == [pet["ParentStudy"]]
    assert find("US") == []
    expanded = find("CT", Expand=True, RequestedTags=["ModalitiesInStudy", "StudyInstanceUID"])
    assert len(expanded) == 1
    assert expanded[0]["RequestedTags"] == {
        "ModalitiesInStudy": "CT\\MR", "StudyInstanceUID": "1.2.826.0.1.3680043.10.3"}
    shown = requests.get(f"{atrium.url}/studies/{mixed_study}?requested-tags=ModalitiesInStudy").json()
    assert shown["RequestedTags"] == {"ModalitiesInStudy": "CT\\MR"}

    refused = requests.post(atrium.url + "/tools/find", json={
        "Level": "Series", "Query": {"ModalitiesInStudy": "CT"}})
    assert refused.status_code == 400
    assert refused.json()["OrthancStatus"] == 8


def test_computed_requested_tags(atrium):
    """Counts and SOPClassesInStudy computed from the index, in `RequestedTags` of finds and resources."""
    root = "1.2.826.0.1.3680043.10.8"
    for series, sop, modality in (("1", "1", "CT"), ("1", "2", "CT"), ("2", "1", "MR")):
        upload(atrium, derived_file(root + ".1", f"{root}.1.{series}", f"{root}.1.{series}.{sop}", modality,
                                    patient="ComputedP"))
    upload(atrium, derived_file(root + ".2", f"{root}.2.1", f"{root}.2.1.1", "PT", patient="ComputedP",
                                SOPClassUID="1.2.840.10008.5.1.4.1.1.128"))
    studies = requests.post(atrium.url + "/tools/find", json={
        "Level": "Study", "Query": {"PatientID": "ComputedP", "StudyInstanceUID": root + ".1",
                                    "NumberOfStudyRelatedSeries": ""},
        "Expand": True, "RequestedTags": ["NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances",
                                          "SOPClassesInStudy", "0008,0061", "NumberOfSeriesRelatedInstances"]}).json()
    assert [study["RequestedTags"] for study in studies] == [{
        "NumberOfStudyRelatedSeries": "2", "NumberOfStudyRelatedInstances": "3",
        "SOPClassesInStudy": "1.2.840.10008.5.1.4.1.1.2", "ModalitiesInStudy": "CT\\MR"}]
    patient = requests.get(f"{atrium.url}/patients/{studies[0]['ParentPatient']}", params={
        "requested-tags": "NumberOfPatientRelatedStudies;NumberOfPatientRelatedSeries;0020,1204"}).json()
    assert patient["RequestedTags"] == {
        "NumberOfPatientRelatedStudies": "2", "NumberOfPatientRelatedSeries": "3",
        "NumberOfPatientRelatedInstances": "4"}
    series = requests.get(f"{atrium.url}/studies/{studies[0]['ID']}/series", params={
        "requested-tags": "NumberOfSeriesRelatedInstances;Modality"}).json()
    assert sorted((item["RequestedTags"]["Modality"], item["RequestedTags"]["NumberOfSeriesRelatedInstances"])
                  for item in series) == [("CT", "2"), ("MR", "1")]
    refused = requests.post(atrium.url + "/tools/find", json={
        "Level": "Study", "Query": {"NumberOfStudyRelatedSeries": "2"}})
    assert refused.status_code == 400
    assert refused.json()["OrthancStatus"] == 8
