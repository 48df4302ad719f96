"""`GET /instances/{id}/file` as DICOM JSON (`Accept: application/dicom+json`) and with `?filename=`."""

import pydicom
import requests

from conftest import pydicom_test_files


def test_file_as_dicom_json(atrium):
    data = (pydicom_test_files() / "CT_small.dcm").read_bytes()
    answer = requests.post(atrium.url + "/instances", data=data).json()
    response = requests.get(f"{atrium.url}/instances/{answer['ID']}/file",
                            headers={"Accept": "application/dicom+json"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/dicom+json"
    body = response.json()
    expected = pydicom.dcmread(pydicom_test_files() / "CT_small.dcm").to_json_dict()
    assert set(body) == set(expected)
    assert body["00100010"] == {"vr": "PN", "Value": [{"Alphabetic": "CompressedSamples^CT1"}]}
    assert body["00280030"] == {"vr": "DS", "Value": [0.661468, 0.661468]}
    assert body["00200013"] == {"vr": "IS", "Value": [1]}
    assert body["7FE00010"]["vr"] == "OW" and "InlineBinary" in body["7FE00010"]
    assert requests.get(f"{atrium.url}/instances/nope/file",
                        headers={"Accept": "application/dicom+json"}).status_code == 404


def test_file_with_filename(atrium):
    data = (pydicom_test_files() / "MR_small.dcm").read_bytes()
    answer = requests.post(atrium.url + "/instances", data=data).json()
    response = requests.get(f"{atrium.url}/instances/{answer['ID']}/file?filename=scan.dcm")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/dicom"
    assert response.headers["Content-Disposition"] == 'filename="scan.dcm"'
    assert response.content == data
