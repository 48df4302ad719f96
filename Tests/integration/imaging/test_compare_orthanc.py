"""Side by side with a real Orthanc (Debian's package) on the same files: same fields, types and values.

Skipped when no Orthanc executable is installed. Documented differences (docs/imaging-compatibility.md) are
ignored: fields that newer Orthanc versions added (Labels), per-run values (LastUpdate, FileUuid, dates).
"""

import json

import pytest
import requests

from conftest import AtriumServer, VOLATILE, assert_same, comparable, derived_file, finished_job, series_case_files

@pytest.fixture(scope="module")
def both(orthanc, sample_files):
    atrium = AtriumServer({"StableAge": 1})
    answers = []
    for path in sample_files:
        data = path.read_bytes()
        reference = requests.post(orthanc + "/instances", data=data)
        ours = requests.post(atrium.url + "/instances", data=data)
        answers.append((path.name, reference.status_code, reference.json(), ours.status_code, ours.json()))
    yield orthanc, atrium, answers
    atrium.stop()


def test_upload_answers(both):
    _, _, answers = both
    for name, reference_status, reference, our_status, ours in answers:
        assert our_status == reference_status, name
        assert_same(reference, ours, name)


def test_resources(both):
    orthanc, atrium, answers = both
    for name, _, reference, _, _ in answers:
        for level, key in (("instances", "ID"), ("series", "ParentSeries"), ("studies", "ParentStudy"),
                           ("patients", "ParentPatient")):
            path = f"/{level}/{reference[key]}"
            assert_same(requests.get(orthanc + path).json(), requests.get(atrium.url + path).json(), name + path)


def test_statistics_and_lists(both):
    orthanc, atrium, _ = both
    assert_same(requests.get(orthanc + "/statistics").json(), requests.get(atrium.url + "/statistics").json(),
                "statistics")
    for level in ("patients", "studies", "series", "instances"):
        assert sorted(requests.get(f"{orthanc}/{level}").json()) == sorted(requests.get(f"{atrium.url}/{level}").json())


def test_find(both):
    orthanc, atrium, _ = both
    queries = [
        {"Level": "Study", "Query": {"PatientName": "*"}},
        {"Level": "Study", "Query": {"StudyDate": "20000101-"}},
        {"Level": "Series", "Query": {"Modality": "CT\\MR"}},
        {"Level": "Patient", "Query": {"PatientName": "compressed*"}},
        {"Level": "Instance", "Query": {"SOPInstanceUID": "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"}},
    ]
    for query in queries:
        reference = requests.post(orthanc + "/tools/find", json=query).json()
        ours = requests.post(atrium.url + "/tools/find", json=query).json()
        assert sorted(reference) == sorted(ours), query


def test_errors(both):
    orthanc, atrium, _ = both
    for method, path in (("GET", "/nonexistent"), ("POST", "/tools/find")):
        reference = requests.request(method, orthanc + path, data="{not json")
        ours = requests.request(method, atrium.url + path, data="{not json")
        assert reference.status_code == ours.status_code, path
        reference_body, our_body = reference.json(), ours.json()
        for key in ("HttpError", "HttpStatus", "Method", "OrthancStatus", "Uri"):
            assert reference_body[key] == our_body[key], (path, key)


def test_tag_renderings(both):
    """Public tags render as Orthanc renders them. Names of private tags come from DCMTK's private dictionary in
    Orthanc and are a documented difference, so private tags are left out (and `simplified-tags`, whose keys are
    names, is compared only on files without private tags)."""
    orthanc, atrium, answers = both
    mismatches = []
    for name, _, reference, _, _ in answers:
        short = requests.get(f"{orthanc}/instances/{reference['ID']}/tags?short").json()
        has_private = any(int(key[:4], 16) % 2 == 1 for key in short)
        for route in ("tags?short", "tags", "simplified-tags"):
            if route == "simplified-tags" and has_private:
                continue
            path = f"/instances/{reference['ID']}/{route}"
            expected = requests.get(orthanc + path).json()
            ours = requests.get(atrium.url + path).json()
            if route != "simplified-tags":
                expected = {k: v for k, v in expected.items() if int(k[:4], 16) % 2 == 0}
                ours = {k: v for k, v in ours.items() if int(k[:4], 16) % 2 == 0}
            # Documented difference: the DICOM module prefixes the names of retired tags with RETIRED_.
            ours = json.loads(json.dumps(ours).replace('"RETIRED_', '"'))
            expected = json.loads(json.dumps(expected).replace('"RETIRED_', '"'))
            if expected != ours:
                differing = sorted(key for key in set(expected) | set(ours) if expected.get(key) != ours.get(key))
                mismatches.append((name, route, [(key, expected.get(key), ours.get(key)) for key in differing[:3]]))
    assert mismatches == []


def test_content_and_frames(both):
    orthanc, atrium, answers = both
    for name, _, reference, _, _ in answers:
        for route in ("content", "content/0010-0010", "frames"):
            path = f"/instances/{reference['ID']}/{route}"
            expected = requests.get(orthanc + path)
            ours = requests.get(atrium.url + path)
            assert expected.status_code == ours.status_code, (name, route)
            if expected.headers.get("Content-Type", "").startswith("application/json"):
                assert sorted(map(str, expected.json())) == sorted(map(str, ours.json())), (name, route)
            else:
                assert expected.content == ours.content, (name, route)


def test_shared_tags(both):
    orthanc, atrium, answers = both
    for name, _, reference, _, _ in answers:
        path = f"/series/{reference['ParentSeries']}/shared-tags?short"
        expected = {k: v for k, v in requests.get(orthanc + path).json().items() if int(k[:4], 16) % 2 == 0}
        ours = {k: v for k, v in requests.get(atrium.url + path).json().items() if int(k[:4], 16) % 2 == 0}
        assert expected == ours, name


# Metadata that Orthanc 1.11 and later set on ingest but 1.10.1 (Debian's package) does not.
METADATA_ADDED_BY_NEWER_ORTHANC = {"MainDicomTagsSignature", "PixelDataVR"}


@pytest.fixture(scope="module")
def derived(orthanc):
    """Both servers holding series whose tags announce a size, and a study with two modalities."""
    atrium = AtriumServer({"StableAge": 1})
    files = [data for _, data in series_case_files()]
    for series, modality in (("1", "CT"), ("2", "MR")):
        files.append(derived_file("1.2.826.0.1.3680043.10.5", f"1.2.826.0.1.3680043.10.5.{series}",
                                  f"1.2.826.0.1.3680043.10.5.{series}.1", modality, patient="ComparedP"))
    for data in files:
        assert requests.post(orthanc + "/instances", data=data).status_code == 200
        assert requests.post(atrium.url + "/instances", data=data).status_code == 200
    yield orthanc, atrium
    atrium.stop()


def find_derived(url, level, expand):
    """The resources of the derived files only (the reference server also holds the sample files)."""
    found = []
    for patient in ("DerivedP1", "ComparedP"):
        found += requests.post(url + "/tools/find", json={
            "Level": level, "Query": {"PatientID": patient}, "Expand": expand}).json()
    return found


def test_series_status_and_metadata(derived):
    orthanc, atrium = derived
    for level in ("Series", "Instance"):
        reference = {item["ID"]: item for item in find_derived(orthanc, level, True)}
        ours = {item["ID"]: item for item in find_derived(atrium.url, level, True)}
        assert set(reference) == set(ours)
        for key in reference:
            for field in ("ExpectedNumberOfInstances", "Status", "IndexInSeries"):
                assert reference[key].get(field) == ours[key].get(field), (level, key, field)
    for level, route in (("Instance", "instances"), ("Series", "series"), ("Study", "studies"),
                         ("Patient", "patients")):
        for resource in find_derived(orthanc, level, False):
            path = f"/{route}/{resource}/metadata?expand"
            reference = requests.get(orthanc + path).json()
            ours = {key: value for key, value in requests.get(atrium.url + path).json().items()
                    if key not in METADATA_ADDED_BY_NEWER_ORTHANC}
            assert set(reference) == set(ours), path
            for key in set(reference) - VOLATILE - {"LastUpdate"}:
                assert reference[key] == ours[key], (path, key)


def test_find_modalities_in_study(derived):
    orthanc, atrium = derived
    for value in ("CT", "mr", "CT\\MR", "M?", "PT", "", "*"):
        for case_sensitive in (False, True):
            query = {"Level": "Study", "Query": {"PatientID": "ComparedP", "ModalitiesInStudy": value},
                     "CaseSensitive": case_sensitive}
            reference = requests.post(orthanc + "/tools/find", json=query).json()
            ours = requests.post(atrium.url + "/tools/find", json=query).json()
            assert sorted(reference) == sorted(ours), query


def test_raw_frames(both):
    orthanc, atrium, answers = both
    for name, _, reference, _, _ in answers:
        frames = requests.get(f"{orthanc}/instances/{reference['ID']}/frames").json()
        for index in list(frames) + [len(frames)]:
            path = f"/instances/{reference['ID']}/frames/{index}/raw"
            expected = requests.get(orthanc + path)
            ours = requests.get(atrium.url + path)
            assert expected.status_code == ours.status_code, (name, index)
            if expected.status_code == 200:
                assert expected.headers["Content-Type"] == ours.headers["Content-Type"], (name, index)
                assert expected.content == ours.content, (name, index)


def test_file_as_dicom_json(both):
    """The DICOM JSON of each instance equals Orthanc's once parsed (formatting aside)."""
    orthanc, atrium, answers = both
    for name, _, reference, _, _ in answers:
        path = f"/instances/{reference['ID']}/file"
        expected = requests.get(orthanc + path, headers={"Accept": "application/dicom+json"})
        ours = requests.get(atrium.url + path, headers={"Accept": "application/dicom+json"})
        assert expected.headers["Content-Type"] == ours.headers["Content-Type"], name
        assert expected.json() == ours.json(), name


@pytest.fixture(scope="module")
def mixed_case(orthanc):
    """Both servers holding two studies whose identifiers and descriptions differ only by case or accents."""
    atrium = AtriumServer({"StableAge": 1})
    studies = [("CaseP1", "Head Scan", "CT", "Doe^John", "acc7"), ("casep2", "HEAD scan", "MR", "DOE^JANE", "ACC8"),
               ("UniP", "Étude Müller", "US", "Müller^Jörg", "aççb")]
    for index, (patient, description, modality, name, accession) in enumerate(studies):
        data = derived_file(f"1.2.826.0.1.3680043.10.9.{index}", f"1.2.826.0.1.3680043.10.9.{index}.1",
                            f"1.2.826.0.1.3680043.10.9.{index}.1.1", modality, patient=patient,
                            SpecificCharacterSet="ISO_IR 192", StudyDescription=description, PatientName=name,
                            AccessionNumber=accession, InstitutionName="Mixed Inst")
        assert requests.post(orthanc + "/instances", data=data).status_code == 200
        assert requests.post(atrium.url + "/instances", data=data).status_code == 200
    yield orthanc, atrium
    atrium.stop()


@pytest.mark.parametrize("level, key, value", [
    ("Study", "PatientID", "casep1"), ("Study", "PatientID", "CASEP*"), ("Patient", "PatientID", "CASEP1"),
    ("Study", "StudyDescription", "head scan"), ("Study", "StudyDescription", "Head Scan"),
    ("Study", "StudyDescription", "head*"), ("Study", "StudyDescription", "head scan\\HEAD SCAN"),
    ("Study", "StudyDescription", "étude müller"), ("Study", "StudyDescription", "ETUDE MULLER"),
    ("Study", "PatientName", "doe^john"), ("Study", "PatientName", "müller^jörg"),
    ("Study", "AccessionNumber", "ACC7"), ("Study", "AccessionNumber", "acc*"), ("Study", "AccessionNumber", "AÇÇB"),
    ("Study", "InstitutionName", "mixed inst"), ("Series", "Modality", "ct"), ("Series", "Modality", "ct\\mr"),
    ("Series", "Modality", "C?"),
])
def test_find_case_sensitivity(mixed_case, level, key, value):
    orthanc, atrium = mixed_case
    for case_sensitive in (None, False, True):
        query = {"Level": level, "Query": {"InstitutionName": "Mixed Inst", key: value}}
        if level == "Patient":
            query["Query"] = {key: value}
        if case_sensitive is not None:
            query["CaseSensitive"] = case_sensitive
        reference = requests.post(orthanc + "/tools/find", json=query)
        ours = requests.post(atrium.url + "/tools/find", json=query)
        assert reference.status_code == ours.status_code == 200, query
        assert sorted(reference.json()) == sorted(ours.json()), query


def test_archive_jobs(both):
    orthanc, atrium, answers = both
    study = answers[0][2]["ParentStudy"]
    jobs = {}
    for url in (orthanc, atrium.url):
        answer = requests.post(f"{url}/studies/{study}/archive", json={"Asynchronous": True, "Priority": 2}).json()
        assert sorted(answer) == ["ID", "Path"] and answer["Path"] == "/jobs/" + answer["ID"]
        jobs[url] = finished_job(url, answer["ID"])
    reference, ours = jobs[orthanc], jobs[atrium.url]
    assert sorted(reference) == sorted(ours)
    assert sorted(reference["Content"]) == sorted(ours["Content"])
    for field in ("Type", "State", "Progress", "Priority", "ErrorCode", "ErrorDescription", "ErrorDetails"):
        assert reference[field] == ours[field], field
    for field in ("Description", "InstancesCount", "UncompressedSize", "UncompressedSizeMB"):
        assert reference["Content"][field] == ours["Content"][field], field
    for url in (orthanc, atrium.url):
        download = requests.get(f"{url}/jobs/{jobs[url]['ID']}/archive")
        assert (download.status_code, download.headers["Content-Type"]) == (200, "application/zip")
        cancel = requests.post(f"{url}/jobs/{jobs[url]['ID']}/cancel")
        assert (cancel.status_code, cancel.json()) == (200, {})
    for path, method in (("/jobs/nope", "GET"), ("/jobs/nope/cancel", "POST"), ("/jobs/nope/archive", "GET"),
                         ("/jobs", "POST")):
        reference = requests.request(method, orthanc + path)
        ours = requests.request(method, atrium.url + path)
        assert reference.status_code == ours.status_code, path
        assert comparable(reference.json() if reference.content else None) == \
            comparable(ours.json() if ours.content else None), path
