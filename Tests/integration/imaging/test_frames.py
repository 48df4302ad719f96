"""`/instances/{id}/frames/{n}/raw`: the stored bytes of one frame, with Orthanc's content types and errors."""

import pydicom
import pytest
import requests

from conftest import pydicom_test_files


@pytest.fixture(scope="module")
def stored(atrium):
    ids = {}
    for name in ("CT_small.dcm", "rtdose.dcm", "SC_rgb_rle_2frame.dcm", "JPEG2000.dcm", "SC_rgb_jpeg_dcmtk.dcm"):
        answer = requests.post(atrium.url + "/instances", data=(pydicom_test_files() / name).read_bytes())
        assert answer.status_code == 200, name
        ids[name] = answer.json()["ID"]
    return ids


def test_native_frames(atrium, stored):
    dataset = pydicom.dcmread(pydicom_test_files() / "rtdose.dcm")
    frame_size = dataset.Rows * dataset.Columns * dataset.BitsAllocated // 8
    assert int(dataset.NumberOfFrames) > 1
    for index in range(int(dataset.NumberOfFrames)):
        response = requests.get(f"{atrium.url}/instances/{stored['rtdose.dcm']}/frames/{index}/raw")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.content == dataset.PixelData[index * frame_size:(index + 1) * frame_size]
    single = pydicom.dcmread(pydicom_test_files() / "CT_small.dcm")
    assert requests.get(f"{atrium.url}/instances/{stored['CT_small.dcm']}/frames/0/raw").content == single.PixelData


def test_encapsulated_frames(atrium, stored):
    dataset = pydicom.dcmread(pydicom_test_files() / "SC_rgb_rle_2frame.dcm")
    # The Basic Offset Table comes first, then one fragment per frame.
    fragments = list(pydicom.encaps.generate_fragments(dataset.PixelData))[1:]
    for index in range(2):
        response = requests.get(f"{atrium.url}/instances/{stored['SC_rgb_rle_2frame.dcm']}/frames/{index}/raw")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.content == fragments[index]
    jpeg = requests.get(f"{atrium.url}/instances/{stored['SC_rgb_jpeg_dcmtk.dcm']}/frames/0/raw")
    assert jpeg.headers["Content-Type"] == "image/jpeg"
    assert jpeg.content[:2] == b"\xff\xd8"
    jp2 = requests.get(f"{atrium.url}/instances/{stored['JPEG2000.dcm']}/frames/0/raw")
    assert jp2.headers["Content-Type"] == "image/jp2"


def test_frame_errors_and_renderings(atrium, stored):
    base = f"{atrium.url}/instances/{stored['CT_small.dcm']}/frames"
    out_of_range = requests.get(base + "/1/raw")
    assert out_of_range.status_code == 400
    assert out_of_range.json()["OrthancStatus"] == 3
    assert requests.get(base + "/x/raw").status_code == 404
    assert requests.get(base + "/0").json() == [
        "image-int16", "image-uint16", "image-uint8", "matlab", "numpy", "preview", "raw", "raw.gz", "rendered"]
    assert requests.get(base + "/0/preview").headers["Content-Type"] == "image/png"
    assert requests.get(base + "/0/rendered").headers["Content-Type"] == "image/png"
    assert requests.get(base + "/0/nope").status_code == 404
    assert requests.get(f"{atrium.url}/instances/nope/frames/0/raw").status_code == 404
