"""Uploads of real sample files through the REST API and pyorthanc, then reads, finds, changes and deletes."""

import gzip
import hashlib
import http.client
import io
import time
import zipfile

import pydicom
import pytest
import requests


def orthanc_id(*parts):
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()
    return "-".join(digest[i:i + 8] for i in range(0, 40, 8))


def expected_ids(path):
    dataset = pydicom.dcmread(str(path), stop_before_pixels=True)
    patient = str(dataset.get("PatientID", ""))
    study, series, sop = str(dataset.StudyInstanceUID), str(dataset.SeriesInstanceUID), str(dataset.SOPInstanceUID)
    return {
        "ParentPatient": orthanc_id(patient),
        "ParentStudy": orthanc_id(patient, study),
        "ParentSeries": orthanc_id(patient, study, series),
        "ID": orthanc_id(patient, study, series, sop),
    }


@pytest.fixture(scope="module")
def uploaded(atrium, sample_files):
    answers = {}
    for path in sample_files:
        response = requests.post(atrium.url + "/instances", data=path.read_bytes())
        assert response.status_code == 200, response.text
        answers[path.name] = response.json()
    return answers


def test_upload_answers_like_orthanc(uploaded, sample_files):
    first = uploaded[sample_files[0].name]
    assert set(first) == {"ID", "ParentPatient", "ParentStudy", "ParentSeries", "Path", "Status"}
    assert first["Status"] == "Success"
    for path in sample_files:
        answer = uploaded[path.name]
        for key, value in expected_ids(path).items():
            assert answer[key] == value, (path.name, key)
        assert answer["Path"] == "/instances/" + answer["ID"]


def test_duplicate_is_already_stored(atrium, uploaded, sample_files):
    files_before = atrium.stored_files()
    response = requests.post(atrium.url + "/instances", data=sample_files[0].read_bytes())
    assert response.status_code == 200
    assert response.json()["Status"] == "AlreadyStored"
    assert atrium.stored_files() == files_before


def test_resources_and_download(atrium, uploaded, sample_files):
    answer = uploaded["CT_small.dcm"]
    instance = requests.get(f"{atrium.url}/instances/{answer['ID']}").json()
    assert instance["Type"] == "Instance"
    assert instance["ParentSeries"] == answer["ParentSeries"]
    assert instance["FileSize"] == (sample_files[0]).stat().st_size
    assert instance["MainDicomTags"]["SOPInstanceUID"] == "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"
    assert instance["MainDicomTags"]["ImagePositionPatient"] == "-158.135803\\-179.035797\\-75.699997"
    assert instance["IndexInSeries"] == 1
    series = requests.get(f"{atrium.url}/series/{answer['ParentSeries']}").json()
    assert series["Instances"] == [answer["ID"]]
    assert series["MainDicomTags"]["Modality"] == "CT"
    assert series["Status"] == "Unknown" and series["ExpectedNumberOfInstances"] is None
    study = requests.get(f"{atrium.url}/studies/{answer['ParentStudy']}").json()
    assert study["PatientMainDicomTags"]["PatientName"] == "CompressedSamples^CT1"
    assert study["MainDicomTags"]["AccessionNumber"] == ""
    assert study["MainDicomTags"]["StudyDescription"] == "e+1"
    patient = requests.get(f"{atrium.url}/patients/{answer['ParentPatient']}").json()
    assert answer["ParentStudy"] in patient["Studies"]
    downloaded = requests.get(f"{atrium.url}/instances/{answer['ID']}/file")
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Type"] == "application/dicom"
    assert downloaded.content == sample_files[0].read_bytes()
    assert requests.get(f"{atrium.url}/instances/{answer['ID']}/study").json()["ID"] == answer["ParentStudy"]
    children = requests.get(f"{atrium.url}/studies/{answer['ParentStudy']}/instances").json()
    assert [child["ID"] for child in children] == [answer["ID"]]


def test_lists_and_statistics(atrium, uploaded):
    instances = requests.get(atrium.url + "/instances").json()
    assert sorted(instances) == sorted({answer["ID"] for answer in uploaded.values()})
    assert len(requests.get(atrium.url + "/instances?limit=2").json()) == 2
    assert requests.get(atrium.url + "/instances?since=1&limit=1").json() == instances[1:2]
    expanded = requests.get(atrium.url + "/studies?expand").json()
    assert all(item["Type"] == "Study" for item in expanded)
    statistics = requests.get(atrium.url + "/statistics").json()
    assert statistics["CountInstances"] == len(instances)
    assert int(statistics["TotalDiskSize"]) > 0


def test_find_and_lookup(atrium, uploaded):
    answer = uploaded["CT_small.dcm"]
    found = requests.post(atrium.url + "/tools/find", json={
        "Level": "Study", "Query": {"PatientName": "compressedsamples*"}}).json()
    assert answer["ParentStudy"] in found
    found = requests.post(atrium.url + "/tools/find", json={
        "Level": "Study", "Query": {"PatientName": "compressedsamples*"}, "CaseSensitive": True}).json()
    assert found == []
    expanded = requests.post(atrium.url + "/tools/find", json={
        "Level": "Series", "Query": {"Modality": "CT"}, "Expand": True, "RequestedTags": ["StationName"]}).json()
    assert any(item["ID"] == answer["ParentSeries"] for item in expanded)
    assert all(item["MainDicomTags"]["Modality"] == "CT" for item in expanded)
    lookup = requests.post(atrium.url + "/tools/lookup", data="1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322").json()
    assert lookup == [{"ID": answer["ID"], "Path": "/instances/" + answer["ID"], "Type": "Instance"}]


def test_metadata_and_labels(atrium, uploaded):
    answer = uploaded["CT_small.dcm"]
    base = f"{atrium.url}/instances/{answer['ID']}"
    names = requests.get(base + "/metadata").json()
    assert {"ReceptionDate", "TransferSyntax", "SopClassUid", "Origin", "IndexInSeries"} <= set(names)
    expanded = requests.get(base + "/metadata?expand").json()
    assert expanded["Origin"] == "RestApi"
    assert expanded["TransferSyntax"] == "1.2.840.10008.1.2.1"
    assert requests.put(base + "/metadata/1024", data="hello").status_code == 200
    assert requests.get(base + "/metadata/1024").text == "hello"
    assert requests.delete(base + "/metadata/1024").status_code == 200
    assert requests.get(base + "/metadata/1024").status_code == 404
    assert requests.put(base + "/labels/reviewed").status_code == 200
    assert requests.get(base + "/labels").json() == ["reviewed"]
    assert requests.get(atrium.url + "/tools/labels").json() == ["reviewed"]
    assert requests.delete(base + "/labels/reviewed").status_code == 200


def test_changes_and_stability(atrium, uploaded):
    changes = requests.get(atrium.url + "/changes?limit=4").json()
    assert changes["Changes"][0]["ChangeType"] == "NewInstance"
    assert {change["ResourceType"] for change in changes["Changes"]} <= {"Patient", "Study", "Series", "Instance"}
    deadline = time.time() + 10
    answer = uploaded["CT_small.dcm"]
    while time.time() < deadline:
        if requests.get(f"{atrium.url}/series/{answer['ParentSeries']}").json()["IsStable"]:
            break
        time.sleep(0.2)
    assert requests.get(f"{atrium.url}/series/{answer['ParentSeries']}").json()["IsStable"] is True
    everything = requests.get(atrium.url + "/changes?limit=1000").json()["Changes"]
    assert any(change["ChangeType"] == "StableSeries" and change["ID"] == answer["ParentSeries"]
               for change in everything)


def test_archive(atrium, uploaded):
    answer = uploaded["CT_small.dcm"]
    response = requests.get(f"{atrium.url}/studies/{answer['ParentStudy']}/archive")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 1 and names[0].endswith(".dcm")
    dataset = pydicom.dcmread(io.BytesIO(archive.read(names[0])))
    assert dataset.SOPInstanceUID == "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"
    response = requests.post(atrium.url + "/tools/create-archive", json={"Resources": [answer["ParentPatient"]]})
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def test_delete_removes_empty_parents_and_files(atrium, uploaded, sample_files):
    answer = uploaded["rtplan.dcm"] if "rtplan.dcm" in uploaded else uploaded[sample_files[-1].name]
    files_before = len(atrium.stored_files())
    response = requests.delete(f"{atrium.url}/instances/{answer['ID']}")
    assert response.status_code == 200
    remaining = response.json()["RemainingAncestor"]
    assert remaining is None or set(remaining) == {"ID", "Path", "Type"}
    assert requests.get(f"{atrium.url}/instances/{answer['ID']}").status_code == 404
    assert len(atrium.stored_files()) == files_before - 1
    # Re-upload for the other tests of the module that may run after.
    requests.post(atrium.url + "/instances", data=(next(p for p in sample_files if p.name == "rtplan.dcm")
                                                   if "rtplan.dcm" in uploaded else sample_files[-1]).read_bytes())


def test_zip_gzip_and_multipart_uploads(sample_files):
    from conftest import AtriumServer
    server = AtriumServer()
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sample_files[:3]:
                archive.write(path, path.name)
        response = requests.post(server.url + "/instances", data=buffer.getvalue())
        assert response.status_code == 200
        answers = response.json()
        assert isinstance(answers, list) and len(answers) == 3
        assert all(answer["Status"] == "Success" for answer in answers)
        body = gzip.compress(sample_files[3].read_bytes())
        response = requests.post(server.url + "/instances", data=body, headers={"Content-Encoding": "gzip"})
        assert response.status_code == 200 and response.json()["Status"] == "Success"
        response = requests.post(server.url + "/instances", files={"file": ("a.dcm", sample_files[4].read_bytes())})
        assert response.status_code == 200
        assert requests.get(server.url + "/statistics").json()["CountInstances"] >= 4
    finally:
        server.stop()


def test_pyorthanc_client(atrium, uploaded):
    pyorthanc = pytest.importorskip("pyorthanc")
    client = pyorthanc.Orthanc(atrium.url)
    patients = pyorthanc.find_patients(client)
    assert len(patients) >= 1
    studies = pyorthanc.find_studies(client, query={"PatientName": "CompressedSamples*"})
    assert any(study.id_ == uploaded["CT_small.dcm"]["ParentStudy"] for study in studies)
    instance = pyorthanc.Instance(uploaded["CT_small.dcm"]["ID"], client)
    assert instance.uid == "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"
    assert len(instance.get_dicom_file_content()) > 0


def test_large_instance_is_streamed_back_unchanged(atrium, sample_files):
    """A 24 MiB instance (above the 8 MiB whole-read limit) comes back byte for byte, in pieces."""
    dataset = pydicom.dcmread(str(next(p for p in sample_files if p.name == "CT_small.dcm")))
    dataset.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.99.1"
    dataset.file_meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    dataset.NumberOfFrames = 768
    dataset.PixelData = bytes(range(256)) * (128 * 128 * 2 * 768 // 256)
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    original = buffer.getvalue()
    assert len(original) > 24 * 1024 * 1024
    response = requests.post(atrium.url + "/instances", data=original)
    assert response.status_code == 200, response.text
    download = requests.get(f"{atrium.url}/instances/{response.json()['ID']}/file", stream=True)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/dicom"
    assert download.headers["Content-Length"] == str(len(original))
    assert "Transfer-Encoding" not in download.headers
    received = b"".join(download.iter_content(1 << 20))
    assert hashlib.sha256(received).hexdigest() == hashlib.sha256(original).hexdigest()
    # HEAD: the same length and no body, so the next request on the connection is read correctly.
    connection = http.client.HTTPConnection("127.0.0.1", atrium.port, timeout=30)
    connection.request("HEAD", f"/instances/{response.json()['ID']}/file")
    head = connection.getresponse()
    assert head.status == 200 and head.getheader("Content-Length") == str(len(original))
    assert head.read() == b""
    connection.request("GET", "/system")
    assert connection.getresponse().status == 200
    connection.close()
    requests.delete(f"{atrium.url}/instances/{response.json()['ID']}")
