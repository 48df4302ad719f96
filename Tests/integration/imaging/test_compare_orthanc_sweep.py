"""A sweep of the REST API side by side with a real Orthanc (Debian's package, 1.10.1) holding the same files,
uploaded in the same order: archives, changes, lists, finds, per-resource routes and error answers.

Skipped when no Orthanc executable is installed. Per-run values (dates, UUIDs, `LastUpdate`) are compared by type
only; documented differences (docs/imaging-compatibility.md) are left out where noted.
"""

import io
import time
import zipfile

import pytest
import requests

from conftest import AtriumServer, assert_same, comparable, derived_file

NAMING = "1.2.826.0.1.3680043.10.77"
ODD_PATIENT = "a/b:c*d?e\"f<g>h|i.j-k_l,m(n)o'p&q=r+s;t!u@v#w$x%y{z}~`"


def naming_files():
    """Files whose tags exercise archive folder names: odd characters, empty values, sibling folders with one
    name, instances out of order."""
    odd = dict(patient=ODD_PATIENT, SpecificCharacterSet="ISO_IR 192", PatientName="Müller^Jörg^^Dr",
               StudyDescription="Study  of^the day", AccessionNumber="ACC 1")
    plain = dict(patient="P2", PatientName="", StudyDescription="", AccessionNumber="", SeriesDescription="")
    return [
        derived_file(NAMING + ".1", NAMING + ".1.1", NAMING + ".1.1.1", "", SeriesDescription="  spaced   out  ",
                     InstanceNumber=2, **odd),
        derived_file(NAMING + ".1", NAMING + ".1.1", NAMING + ".1.1.2", "", SeriesDescription="  spaced   out  ",
                     InstanceNumber=1, **odd),
        derived_file(NAMING + ".1", NAMING + ".1.2", NAMING + ".1.2.1", "MR", SeriesDescription="Same", **odd),
        derived_file(NAMING + ".1", NAMING + ".1.3", NAMING + ".1.3.1", "MR", SeriesDescription="Same", **odd),
        derived_file(NAMING + ".2", NAMING + ".2.1", NAMING + ".2.1.1", "m", **plain),
        derived_file(NAMING + ".3", NAMING + ".3.1", NAMING + ".3.1.1", "RTPLAN",
                     **dict(plain, SeriesDescription=None)),
    ]


@pytest.fixture(scope="module")
def swept(orthanc, sample_files):
    atrium = AtriumServer({"StableAge": 1})
    files = [path.read_bytes() for path in sample_files] + naming_files()
    for data in files:
        reference = requests.post(orthanc + "/instances", data=data)
        ours = requests.post(atrium.url + "/instances", data=data)
        assert reference.status_code == ours.status_code
    yield orthanc, atrium.url
    atrium.stop()


def both_get(swept, path, method="GET", **arguments):
    orthanc, atrium = swept
    return requests.request(method, orthanc + path, **arguments), requests.request(method, atrium + path, **arguments)


def body(response):
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.content


def assert_same_answer(swept, path, method="GET", exact=True, **arguments):
    """Same status, Content-Type and body (exactly, or by `assert_same` when `exact` is false). Documented
    difference: Orthanc 1.10.1 sends its error bodies without a Content-Type, Atrium labels them as JSON."""
    reference, ours = both_get(swept, path, method, **arguments)
    assert reference.status_code == ours.status_code, (method, path)
    if reference.status_code < 400:
        assert reference.headers.get("Content-Type") == ours.headers.get("Content-Type"), (method, path)
    if exact:
        assert comparable(body(reference)) == comparable(body(ours)), (method, path)
    else:
        assert_same(body(reference), body(ours), path)
    return reference, ours


def resources(url, level):
    return requests.get(f"{url}/{level}").json()


# 1. Archives


def test_archive_entries_and_headers(swept):
    orthanc, _ = swept
    for level in ("patients", "studies", "series"):
        for resource in resources(orthanc, level):
            reference, ours = both_get(swept, f"/{level}/{resource}/archive")
            assert ours.status_code == reference.status_code == 200
            for header in ("Content-Type", "Content-Disposition"):
                assert ours.headers[header] == reference.headers[header], (level, header)
            expected = zipfile.ZipFile(io.BytesIO(reference.content)).namelist()
            assert zipfile.ZipFile(io.BytesIO(ours.content)).namelist() == expected, (level, resource)


def test_create_archive(swept):
    orthanc, _ = swept
    studies = resources(orthanc, "studies")
    patients = resources(orthanc, "patients")
    for request in ({"Resources": studies}, studies, {"Resources": patients[:2] + studies}):
        reference, ours = both_get(swept, "/tools/create-archive", "POST", json=request)
        assert ours.status_code == reference.status_code == 200
        for header in ("Content-Type", "Content-Disposition"):
            assert ours.headers[header] == reference.headers[header], header
        assert zipfile.ZipFile(io.BytesIO(ours.content)).namelist() == \
            zipfile.ZipFile(io.BytesIO(reference.content)).namelist()
    for data in ('["nope"]', '{"Resources": "x"}', "{bad", '{"Resources": [3]}'):
        assert_same_answer(swept, "/tools/create-archive", "POST", data=data)
    assert_same_answer(swept, "/patients/nope/archive")


# 2. Changes and exports


def new_changes(changes):
    """The changes logged on upload; Stable* changes come when each server's timer fires, in no fixed order."""
    return [change for change in changes if change["ChangeType"].startswith("New")]


@pytest.mark.xfail(strict=True, reason="remaining difference: /changes?limit=-1 answers 400, Orthanc 1.10.1 an empty page")
def test_changes(swept):
    orthanc, atrium = swept
    reference = requests.get(orthanc + "/changes?limit=1000").json()
    ours = requests.get(atrium + "/changes?limit=1000").json()
    assert sorted(reference) == sorted(ours) == ["Changes", "Done", "Last"]
    assert reference["Done"] is ours["Done"] is True
    for change in reference["Changes"] + ours["Changes"]:
        assert sorted(change) == ["ChangeType", "Date", "ID", "Path", "ResourceType", "Seq"]
        assert isinstance(change["Seq"], int) and len(change["Date"]) == len("20261130T142848")
        assert change["Path"] == "/" + {"Patient": "patients", "Study": "studies", "Series": "series",
                                        "Instance": "instances"}[change["ResourceType"]] + "/" + change["ID"]
    strip = lambda changes: [{k: v for k, v in change.items() if k not in ("Date", "Seq")} for change in changes]
    assert strip(new_changes(ours["Changes"])) == strip(new_changes(reference["Changes"]))
    # Both logs start with the same upload changes, so their sequence numbers agree there.
    count = len(new_changes(reference["Changes"][:4]))
    for query in ("limit=2", "since=2&limit=2", f"since={count}&limit=0", "limit=-1", "since=100000",
                  "since=abc&limit=2", "limit=x"):
        reference = requests.get(f"{orthanc}/changes?{query}")
        ours = requests.get(f"{atrium}/changes?{query}")
        assert reference.status_code == ours.status_code, query
        reference, ours = reference.json(), ours.json()
        assert sorted(reference) == sorted(ours), query
        if "Changes" in reference:
            assert reference["Done"] == ours["Done"], query
            assert [c["Seq"] for c in reference["Changes"]][:2] == [c["Seq"] for c in ours["Changes"]][:2], query
    last_reference, last_ours = (requests.get(url + "/changes?last").json() for url in (orthanc, atrium))
    assert sorted(last_reference) == sorted(last_ours)
    assert len(last_reference["Changes"]) == len(last_ours["Changes"]) == 1
    assert last_ours["Last"] == last_ours["Changes"][0]["Seq"]
    for query in ("", "?limit=2", "?since=1"):
        assert_same_answer(swept, "/exports" + query)
    for method, path in (("PUT", "/changes"), ("POST", "/exports")):
        reference, ours = both_get(swept, path, method)
        assert (reference.status_code, reference.headers.get("Allow")) == (ours.status_code, ours.headers.get("Allow"))


# 3. Lists


@pytest.mark.xfail(strict=True, reason="remaining difference: since=0&limit=0 lists everything (Orthanc 1.12.5 and later), 1.10.1 nothing")
@pytest.mark.parametrize("level", ["patients", "studies", "series", "instances"])
def test_lists(swept, level):
    """Lists follow the upload order in both servers; `limit` without `since` is refused by Orthanc 1.10.1."""
    for query in ("", "?since=0&limit=3", "?since=2&limit=2", "?since=0&limit=0", "?since=100&limit=2"):
        assert_same_answer(swept, f"/{level}{query}")
    for query in ("?expand", "?expand&since=1&limit=2", "?expand&short&since=0&limit=2"):
        reference, ours = both_get(swept, f"/{level}{query}")
        assert reference.status_code == ours.status_code == 200
        assert [item["ID"] for item in reference.json()] == [item["ID"] for item in ours.json()], query
        for expected, actual in zip(reference.json(), ours.json()):
            assert_same(expected, actual, query)


# 4. Finds


FIND_QUERIES = [
    {"Level": "Study", "Query": {}},
    {"Level": "Study", "Query": {}, "Expand": True, "Limit": 2},
    {"Level": "Series", "Query": {}, "Expand": False, "Limit": 2, "Since": 1},
    {"Level": "Instance", "Query": {}, "Since": 3},
    {"Level": "Study", "Query": {"StudyDate": "-20040120"}},
    {"Level": "Study", "Query": {"StudyDate": "20040120-"}},
    {"Level": "Study", "Query": {"StudyDate": "20040101-20041231"}},
    {"Level": "Patient", "Query": {"PatientName": "Compressed?amples*"}},
    {"Level": "Patient", "Query": {"PatientID": "1CT1\\4MR1"}},
    {"Level": "Study", "Query": {}, "Expand": True, "Short": True, "Limit": 1},
    {"Level": "study", "Query": {"PatientID": "*"}},
    {"Level": "Study", "Query": {}, "Labels": ["a"]},
]

FIND_ERRORS = [
    pytest.param('{"Level":"Bad","Query":{}}', marks=pytest.mark.xfail(strict=True, reason="remaining difference: see docs/imaging-compatibility.md")), '{"Level":"Study","Query":{"PatientName":3}}', '{"Query":{}}', '{"Level":"Study"}',
    "{not json", "[]", pytest.param('{"Level":"Study","Query":{},"Limit":"x"}', marks=pytest.mark.xfail(strict=True, reason="remaining difference: see docs/imaging-compatibility.md")), pytest.param('{"Level":"Study","Query":{},"Since":-1}', marks=pytest.mark.xfail(strict=True, reason="remaining difference: see docs/imaging-compatibility.md")),
    '{"Level":"Study","Query":{},"CaseSensitive":"yes"}', pytest.param('{"Level":"Study","Query":{"NoSuchTag":"x"}}', marks=pytest.mark.xfail(strict=True, reason="remaining difference: see docs/imaging-compatibility.md")),
]


@pytest.mark.xfail(strict=True, reason="remaining difference: Orthanc 1.10.1 sorts /tools/find answers by ID, Atrium keeps creation order")
def test_find(swept):
    for query in FIND_QUERIES:
        reference, ours = both_get(swept, "/tools/find", "POST", json=query)
        assert reference.status_code == ours.status_code == 200, query
        if query.get("Expand"):
            assert [item["ID"] for item in reference.json()] == [item["ID"] for item in ours.json()], query
            for expected, actual in zip(reference.json(), ours.json()):
                assert_same(expected, actual, str(query))
        else:
            assert reference.json() == ours.json(), query


@pytest.mark.parametrize("data", FIND_ERRORS)
def test_find_errors(swept, data):
    assert_same_answer(swept, "/tools/find", "POST", data=data)


# 5. Lookup, statistics, shared tags, header, metadata, attachments, deletion, system


@pytest.mark.xfail(strict=True, reason="remaining difference: an empty /tools/lookup value matches resources with an empty identifier in Orthanc")
def test_lookup(swept):
    for value in ("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322", "1CT1", "nothing", "", "ACC 1"):
        assert_same_answer(swept, "/tools/lookup", "POST", data=value)


@pytest.mark.xfail(strict=True, reason="remaining difference: shared-tags?simplify of a patient or study lacks some tags")
def test_resource_routes(swept):
    orthanc, _ = swept
    instance = resources(orthanc, "instances")[0]
    parents = requests.get(f"{orthanc}/instances/{instance}").json()
    series = parents["ParentSeries"]
    study = requests.get(f"{orthanc}/series/{series}").json()["ParentStudy"]
    patient = requests.get(f"{orthanc}/studies/{study}").json()["ParentPatient"]
    for level, resource in (("patients", patient), ("studies", study), ("series", series), ("instances", instance)):
        assert_same_answer(swept, f"/{level}/{resource}/statistics")
        assert_same_answer(swept, f"/{level}/{resource}/attachments")
        assert_same_answer(swept, f"/{level}/{resource}/attachments?full")
        if level != "instances":
            for query in ("?simplify", "?short"):
                assert_same_answer(swept, f"/{level}/{resource}/shared-tags{query}")
    for query in ("?simplify", "?short"):
        # Documented difference: the file meta group's length element (see /instances/{id}/header).
        reference, ours = both_get(swept, f"/instances/{instance}/header{query}")
        drop = {"0002,0000", "0002,0001", "FileMetaInformationGroupLength", "GenericGroupLength",
                "FileMetaInformationVersion"}
        assert {k: v for k, v in reference.json().items() if k not in drop} == \
            {k: v for k, v in ours.json().items() if k not in drop}
    for item in ("", "/info", "/size", "/md5", "/compressed-size", "/is-compressed", "/compressed-md5", "/data",
                 "/compressed-data"):
        assert_same_answer(swept, f"/instances/{instance}/attachments/dicom{item}")
    assert_same_answer(swept, f"/instances/{instance}/attachments/nope/info")


def test_system_and_statistics(swept):
    reference, ours = both_get(swept, "/system")
    reference, ours = reference.json(), ours.json()
    assert set(reference) <= set(ours)
    for key in reference:
        assert type(reference[key]) is type(ours[key]), key
    assert_same_answer(swept, "/statistics", exact=False)


# 6. Errors


UNKNOWN_SUB_ROUTES = [
    "/instances/nope/tags", "/patients/nope/statistics", "/studies/nope/shared-tags", "/instances/nope/header",
    "/instances/nope/metadata", "/series/nope/attachments", "/instances/nope/file", "/instances/nope/frames/0/raw",
    "/instances/nope/metadata/ReceptionDate", "/instances/nope/study", "/studies/nope/instances",
    "/instances/nope/attachments/dicom/data", "/instances/nope/simplified-tags",
    # Image renderings of an unknown instance are a bare 404 in Orthanc, like the resource itself.
    "/instances/nope/preview", "/instances/nope/frames/0/image-uint8",
]
REMAINING = pytest.mark.xfail(strict=True, reason="remaining difference: see docs/imaging-compatibility.md")


@pytest.mark.parametrize("path", [
    "/patients/nope", "/studies/nope", "/series/nope", "/instances/nope", *UNKNOWN_SUB_ROUTES, "/changes/1",
    pytest.param("/patients?limit=2", marks=REMAINING), pytest.param("/patients?since=x", marks=REMAINING),
    pytest.param("/patients?limit=x", marks=REMAINING), pytest.param("/instances?expand&limit=1", marks=REMAINING),
    pytest.param("/patients?since=100", marks=REMAINING),
])
def test_errors(swept, path):
    assert_same_answer(swept, path)


@pytest.mark.parametrize("method, path", [
    ("DELETE", "/system"), ("PUT", "/patients"), ("POST", "/patients"), ("DELETE", "/tools/find"),
    ("PUT", "/changes"), ("DELETE", "/statistics"), ("GET", "/tools/find"), ("GET", "/tools/lookup"),
])
def test_wrong_methods(swept, method, path):
    reference, ours = both_get(swept, path, method)
    assert (reference.status_code, reference.headers.get("Allow"), reference.content) == \
        (ours.status_code, ours.headers.get("Allow"), ours.content)


def test_delete(swept):
    """Runs last in this module: it removes resources from both servers."""
    orthanc, atrium = swept
    series = requests.post(orthanc + "/tools/find", json={"Level": "Series", "Query": {
        "SeriesInstanceUID": NAMING + ".1.2"}}).json()[0]
    instance = requests.get(f"{orthanc}/series/{series}").json()["Instances"][0]
    # Both servers log Stable* changes StableAge (1 s) after the last upload: wait for them, so that the
    # changes compared below are the deletions' only.
    for url in (orthanc, atrium):
        deadline = time.time() + 20
        while not all(study["IsStable"] for study in requests.get(url + "/studies?expand").json()):
            assert time.time() < deadline, "studies did not become stable"
            time.sleep(0.1)
    time.sleep(0.5)
    last = {url: requests.get(url + "/changes?last").json()["Last"] for url in (orthanc, atrium)}
    assert_same_answer(swept, f"/instances/{instance}", "DELETE")
    assert_same_answer(swept, f"/instances/{instance}", "DELETE")
    patient = requests.post(orthanc + "/tools/find", json={"Level": "Patient", "Query": {"PatientID": "P2"}}).json()
    assert_same_answer(swept, f"/patients/{patient[0]}", "DELETE")
    for url in (orthanc, atrium):
        assert requests.get(f"{url}/changes?since={last[url]}").json()["Changes"] == [], url
