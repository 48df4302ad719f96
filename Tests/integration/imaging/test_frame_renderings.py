"""Decoded frame renderings side by side with a real Orthanc: same status, Content-Type, decoded pixels, errors.

Skipped when no Orthanc executable is installed (fails in CI, as the other comparisons).
"""

import gzip
import io
import zipfile

import numpy
import pytest
import requests
from PIL import Image

from conftest import AtriumServer, pydicom_data_store, pydicom_test_files

# 16-bit signed MR/CT, big endian, implicit VR, RLE gray and color, 8-bit RGB (little and big endian), deflated
# 8-bit, JPEG 2000 (undecodable), JPEG Baseline (decoded by Orthanc, not by Atrium), 32-bit,
# YBR_FULL_422, multi-frame RLE color.
FILES = [
    "CT_small.dcm", "MR_small.dcm",
    "SC_rgb_rle.dcm", "examples_rgb_color.dcm", "ExplVR_BigEnd.dcm", "image_dfl.dcm", "JPEG2000.dcm",
    "rtdose_1frame.dcm", "SC_ybr_full_422_uncompressed.dcm", "examples_overlay.dcm", "SC_rgb_small_odd.dcm",
]
IMAGES = ["preview", "image-uint8", "image-uint16", "image-int16", "rendered"]
DECODED_BY_ORTHANC_ONLY = ["SC_rgb_jpeg_dcmtk.dcm", "liver_1frame.dcm", "examples_palette.dcm"]


@pytest.fixture(scope="module")
def both(orthanc):  # noqa: F811
    atrium = AtriumServer()
    ids = {}
    for name in FILES + DECODED_BY_ORTHANC_ONLY:
        data = (pydicom_test_files() / name).read_bytes()
        reference = requests.post(orthanc + "/instances", data=data)
        ours = requests.post(atrium.url + "/instances", data=data)
        assert reference.status_code == ours.status_code == 200, name
        assert ours.json()["ID"] not in ids.values(), name + " shares its identifiers with another file"
        ids[name] = ours.json()["ID"]
    yield orthanc, atrium, ids
    atrium.stop()


def pixels(response):
    image = Image.open(io.BytesIO(response.content))
    return image.mode, numpy.array(image)


def assert_same_answer(expected, actual, where):
    assert actual.status_code == expected.status_code, where
    if expected.status_code != 200:
        # Orthanc sends its error bodies without a Content-Type; Atrium labels them as JSON.
        if expected.content:
            reference = expected.json()
            ours = actual.json()
            for key in ("HttpStatus", "OrthancStatus", "Message"):
                assert ours.get(key) == reference.get(key), (where, key)
            if "Details" in reference:
                assert ours.get("Details") == reference["Details"], where
        else:
            assert actual.content == b"", where
        return
    kind = expected.headers.get("Content-Type")
    assert actual.headers.get("Content-Type") == kind, where
    if kind == "image/png":
        mode, reference = pixels(expected)
        our_mode, ours = pixels(actual)
        assert our_mode == mode, where
        assert numpy.array_equal(ours, reference), where
    elif kind == "application/gzip":
        assert gzip.decompress(actual.content) == gzip.decompress(expected.content), where
    elif kind == "text/plain":
        assert actual.text == expected.text, where
    elif not expected.content.startswith((b"\x93NUMPY", b"PK")):
        assert actual.content == expected.content, where
    else:
        reference = load_array(expected.content)
        ours = load_array(actual.content)
        assert ours.dtype == reference.dtype, where
        assert ours.shape == reference.shape, where
        assert numpy.array_equal(ours, reference), where


def load_array(content):
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return numpy.load(io.BytesIO(archive.read(archive.namelist()[0])))
    return numpy.load(io.BytesIO(content))


@pytest.mark.parametrize("name", FILES)
def test_frame_renderings(both, name):
    orthanc, atrium, ids = both
    for rendering in IMAGES + ["raw.gz", "numpy", "numpy?rescale=0", "numpy?compress", "matlab"]:
        path = f"/instances/{ids[name]}/frames/0/{rendering}"
        assert_same_answer(requests.get(orthanc + path), requests.get(atrium.url + path), name + path)


@pytest.mark.parametrize("name", ["MR_small.dcm", "SC_rgb_rle.dcm", "JPEG2000.dcm"])
def test_instance_shortcuts(both, name):
    orthanc, atrium, ids = both
    for rendering in IMAGES + ["numpy", "matlab", "raw", "raw.gz"]:
        path = f"/instances/{ids[name]}/{rendering}"
        assert_same_answer(requests.get(orthanc + path), requests.get(atrium.url + path), name + path)


def test_out_of_range_and_accept(both):
    orthanc, atrium, ids = both
    base = f"/instances/{ids['MR_small.dcm']}/frames"
    for rendering in IMAGES + ["raw", "raw.gz", "numpy", "matlab"]:
        path = f"{base}/3/{rendering}"
        assert_same_answer(requests.get(orthanc + path), requests.get(atrium.url + path), path)
    for accept in ["image/png", "image/*", "*/*", "text/html, image/*;q=0.9", "image/gif"]:
        path = base + "/0/preview"
        expected = requests.get(orthanc + path, headers={"Accept": accept})
        actual = requests.get(atrium.url + path, headers={"Accept": accept})
        assert_same_answer(expected, actual, accept)


@pytest.mark.parametrize("name", DECODED_BY_ORTHANC_ONLY)
def test_jpeg_family_is_not_decoded(both, name):
    """Orthanc decodes JPEG, 1-bit and palette color pixel data; Atrium answers 501 with Orthanc's error body
    (docs/imaging-compatibility.md)."""
    orthanc, atrium, ids = both
    for rendering in IMAGES + ["numpy", "matlab"]:
        path = f"/instances/{ids[name]}/frames/0/{rendering}"
        assert requests.get(orthanc + path).status_code in (200, 415)
        ours = requests.get(atrium.url + path)
        assert ours.status_code == 501, path
        assert ours.json()["OrthancStatus"] == 2


@pytest.mark.parametrize("folder,name", [
    ("test_files", "MR_small_bigendian.dcm"), ("test_files", "MR_small_implicit.dcm"),
    ("test_files", "MR_small_RLE.dcm"), ("data_store", "emri_small.dcm"), ("data_store", "emri_small_big_endian.dcm"),
    ("data_store", "emri_small_RLE.dcm"),
])
def test_variants(both, folder, name):
    """Files that share their identifiers with another (the same image in other transfer syntaxes), each uploaded
    in place of the previous one: every frame, the instance's numpy array, a frame out of range."""
    directory = pydicom_test_files() if folder == "test_files" else pydicom_data_store()
    if directory is None or not (directory / name).exists():
        pytest.skip("pydicom-data is not installed")
    orthanc, atrium, _ = both
    data = (directory / name).read_bytes()
    identifier = None
    for url in (orthanc, atrium.url):
        answer = requests.post(url + "/instances", data=data)
        assert answer.status_code == 200
        identifier = answer.json()["ID"]
        assert requests.delete(f"{url}/instances/{identifier}").status_code == 200
        assert requests.post(url + "/instances", data=data).status_code == 200
    frames = requests.get(f"{orthanc}/instances/{identifier}/frames").json()
    assert requests.get(f"{atrium.url}/instances/{identifier}/frames").json() == frames
    for index in frames:
        for rendering in IMAGES + ["numpy", "matlab", "raw", "raw.gz"]:
            path = f"/instances/{identifier}/frames/{index}/{rendering}"
            assert_same_answer(requests.get(orthanc + path), requests.get(atrium.url + path), name + path)
    for rendering in ["numpy", "numpy?rescale=0", "preview"]:
        path = f"/instances/{identifier}/{rendering}"
        assert_same_answer(requests.get(orthanc + path), requests.get(atrium.url + path), name + path)
    for rendering in ["preview", "numpy", "matlab", "raw"]:
        path = f"/instances/{identifier}/frames/{len(frames)}/{rendering}"
        assert_same_answer(requests.get(orthanc + path), requests.get(atrium.url + path), name + path)


def crafted(name):
    """MR_small.dcm with new identifiers and other pixel attributes: negative values, MONOCHROME1, 12 bits stored
    with other bits set above High Bit, constant pixels."""
    import pydicom
    import pydicom.uid

    dataset = pydicom.dcmread(pydicom_test_files() / "MR_small.dcm")
    values = dataset.pixel_array.astype(numpy.int16) - 1000
    dataset.SOPInstanceUID = pydicom.uid.generate_uid()
    if name == "monochrome1":
        dataset.PhotometricInterpretation = "MONOCHROME1"
    elif name == "bits12":
        dataset.BitsStored, dataset.HighBit = 12, 11
        values = ((values.astype(numpy.int32) & 0x0FFF) | 0xA000).astype(numpy.uint16).view(numpy.int16)
    elif name == "bits12clean":
        dataset.BitsStored, dataset.HighBit = 12, 11
        values = (values.astype(numpy.int32) & 0x0FFF).astype(numpy.int16)
    elif name == "constant":
        values[:] = 7
    dataset.PixelData = values.astype("<i2").tobytes()
    output = io.BytesIO()
    dataset.save_as(output)
    return output.getvalue()


@pytest.mark.parametrize("name", ["negative", "monochrome1", "bits12", "bits12clean", "constant"])
def test_crafted_pixels(both, name):
    orthanc, atrium, _ = both
    data = crafted(name)
    identifiers = [requests.post(url + "/instances", data=data).json()["ID"] for url in (orthanc, atrium.url)]
    assert identifiers[0] == identifiers[1]
    for rendering in IMAGES + ["numpy", "numpy?rescale=0", "matlab"]:
        path = f"/instances/{identifiers[0]}/frames/0/{rendering}"
        assert_same_answer(requests.get(orthanc + path), requests.get(atrium.url + path), name + path)


@pytest.mark.parametrize("name", ["MR_small.dcm", "CT_small.dcm", "examples_rgb_color.dcm"])
def test_jpeg(both, name):
    """`Accept: image/jpeg`: the same status and type as Orthanc; pixels within JPEG's loss of Orthanc's PNG
    (the encoders differ: Orthanc subsamples chrominance, Atrium does not)."""
    orthanc, atrium, ids = both
    for rendering in IMAGES:
        for query in ["", "?quality=50", "?quality=100", "?quality=0", "?quality=101", "?quality=x"]:
            path = f"/instances/{ids[name]}/frames/0/{rendering}{query}"
            expected = requests.get(orthanc + path, headers={"Accept": "image/jpeg"})
            actual = requests.get(atrium.url + path, headers={"Accept": "image/jpeg"})
            assert actual.status_code == expected.status_code, path
            assert actual.headers.get("Content-Type") == expected.headers.get("Content-Type"), path
            if expected.status_code != 200:
                assert actual.content == expected.content == b"", path
                continue
            exact = pixels(requests.get(orthanc + path.split("?")[0]))[1].astype(float)
            reference = pixels(expected)[1].astype(float)
            ours = pixels(actual)[1].astype(float)
            assert ours.shape == reference.shape, path
            assert numpy.abs(ours - exact).mean() <= numpy.abs(reference - exact).mean() + 0.5, path
