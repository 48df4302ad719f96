"""Asynchronous archives: jobs, their JSON, the archive they write, cancellation and the history size."""

import io
import os
import time
import zipfile

import pytest
import requests

from conftest import AtriumServer, derived_file, finished_job

JOB_FIELDS = ["CompletionTime", "Content", "CreationTime", "EffectiveRuntime", "ErrorCode", "ErrorDescription",
              "ErrorDetails", "ID", "Priority", "Progress", "State", "Timestamp", "Type"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    temporary = tmp_path_factory.mktemp("jobs-tmp")
    atrium = AtriumServer({"JobsHistorySize": 2, "TemporaryDirectory": str(temporary)})
    studies = []
    for study in ("1", "2"):
        for series in ("1", "2"):
            answer = requests.post(atrium.url + "/instances", data=derived_file(
                f"1.2.826.0.1.3680043.10.11.{study}", f"1.2.826.0.1.3680043.10.11.{study}.{series}",
                f"1.2.826.0.1.3680043.10.11.{study}.{series}.1", "CT", patient="JobsP")).json()
        studies.append(answer["ParentStudy"])
    yield atrium, studies, temporary
    atrium.stop()


def test_asynchronous_archive(server):
    atrium, studies, temporary = server
    answer = requests.post(atrium.url + "/tools/create-archive",
                           json={"Resources": [studies[0]], "Asynchronous": True, "Priority": 3})
    assert answer.status_code == 200
    job_id = answer.json()["ID"]
    assert answer.json() == {"ID": job_id, "Path": "/jobs/" + job_id}
    job = finished_job(atrium.url, job_id)
    assert sorted(job) == JOB_FIELDS
    assert (job["ID"], job["Type"], job["State"], job["Progress"], job["Priority"]) == (
        job_id, "Archive", "Success", 100, 3)
    assert (job["ErrorCode"], job["ErrorDescription"], job["ErrorDetails"]) == (0, "Success", "")
    assert len(job["CreationTime"]) == len("20261130T120758.039881")
    assert isinstance(job["EffectiveRuntime"], float)
    download = requests.get(atrium.url + f"/jobs/{job_id}/archive")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    assert download.headers["Content-Disposition"] == 'filename="archive.zip"'
    assert download.headers["Content-Length"] == str(len(download.content))
    assert "Transfer-Encoding" not in download.headers
    synchronous = requests.post(atrium.url + "/tools/create-archive", json={"Resources": [studies[0]]})
    assert download.content == synchronous.content
    uncompressed = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(download.content)).infolist())
    assert job["Content"] == {
        "ArchiveSize": str(len(download.content)), "ArchiveSizeMB": 0, "Description": "REST API",
        "InstancesCount": 2, "UncompressedSize": str(uncompressed), "UncompressedSizeMB": 0}
    assert os.listdir(temporary) == [f"atrium-archive-{job_id}.zip"]
    assert requests.get(atrium.url + "/jobs").json() == [job_id]
    assert requests.get(atrium.url + "/jobs?expand").json()[0]["ID"] == job_id

    cancelled = requests.post(atrium.url + f"/jobs/{job_id}/cancel")
    assert (cancelled.status_code, cancelled.json()) == (200, {})
    assert requests.get(atrium.url + f"/jobs/{job_id}").json()["State"] == "Success"


def test_resource_archive_job_and_history(server):
    atrium, studies, temporary = server
    ids = []
    for study in studies + studies[:1]:
        answer = requests.post(f"{atrium.url}/studies/{study}/archive", json={"Asynchronous": True})
        assert answer.status_code == 200
        ids.append(answer.json()["ID"])
        finished_job(atrium.url, ids[-1])
    # JobsHistorySize is 2: only the last two jobs and their files are left.
    assert sorted(requests.get(atrium.url + "/jobs").json()) == sorted(ids[1:])
    assert sorted(os.listdir(temporary)) == sorted(f"atrium-archive-{job_id}.zip" for job_id in ids[1:])
    assert requests.get(f"{atrium.url}/jobs/{ids[0]}").status_code == 404
    synchronous = requests.post(f"{atrium.url}/studies/{studies[1]}/archive", json={})
    assert synchronous.headers["Content-Type"] == "application/zip"
    assert requests.get(f"{atrium.url}/jobs/{ids[1]}/archive").content == synchronous.content


def test_job_errors(server):
    atrium, _, _ = server
    unknown = requests.get(atrium.url + "/jobs/nope")
    assert (unknown.status_code, unknown.content) == (404, b"")
    cancel = requests.post(atrium.url + "/jobs/nope/cancel")
    assert (cancel.status_code, cancel.content) == (400, b"")
    output = requests.get(atrium.url + "/jobs/nope/archive")
    assert output.status_code == 404
    assert output.json()["OrthancStatus"] == 7
    assert output.json()["Details"] == "Job has no such output: archive"
    listed = requests.post(atrium.url + "/jobs")
    assert (listed.status_code, listed.headers["Allow"]) == (405, "GET")
    refused = requests.post(atrium.url + "/tools/create-archive", json={"Resources": ["nope"], "Asynchronous": True})
    assert refused.status_code == 404


def test_temporary_files_are_removed_at_shutdown(tmp_path):
    atrium = AtriumServer({"TemporaryDirectory": str(tmp_path)})
    try:
        answer = requests.post(atrium.url + "/instances", data=derived_file(
            "1.2.826.0.1.3680043.10.12", "1.2.826.0.1.3680043.10.12.1", "1.2.826.0.1.3680043.10.12.1.1", "CT"))
        job = requests.post(atrium.url + "/tools/create-archive",
                            json={"Resources": [answer.json()["ParentStudy"]], "Asynchronous": True}).json()
        finished_job(atrium.url, job["ID"])
        assert len(os.listdir(tmp_path)) == 1
    finally:
        atrium.stop()
    assert os.listdir(tmp_path) == []
