"""DICOM TLS (PS3.15 Annex B.1) with Orthanc's keys, end to end with dcmtk's TLS tools.

Certificates are made here with openssl: a CA that signs Atrium's, the modality's and storescp's certificates, and
a second CA, not trusted, that signs a rogue client certificate.
"""

import socket
import subprocess
import time

import pytest
import requests

from conftest import AtriumServer, OrthancServer, free_port, pydicom_test_files

DCMTK = "/usr/bin"


def openssl(*arguments):
    subprocess.run(["openssl", *arguments], check=True, capture_output=True)


def make_certificate(folder, name, ca):
    key, request, certificate = (folder / f"{name}.key", folder / f"{name}.csr", folder / f"{name}.crt")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(request), "-subj", f"/CN={name}")
    openssl("x509", "-req", "-in", str(request), "-CA", str(folder / f"{ca}.crt"), "-CAkey", str(folder / f"{ca}.key"),
            "-CAcreateserial", "-days", "2", "-out", str(certificate))
    return key, certificate


def make_ca(folder, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(folder / f"{name}.key"),
            "-out", str(folder / f"{name}.crt"), "-subj", f"/CN={name}")
    return folder / f"{name}.crt"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    ca = make_ca(folder, "ca")
    make_ca(folder, "rogue-ca")
    return {
        "folder": folder,
        "ca": ca,
        "atrium": make_certificate(folder, "atrium", "ca"),
        "modality": make_certificate(folder, "modality", "ca"),
        "storescp": make_certificate(folder, "storescp", "ca"),
        "rogue": make_certificate(folder, "rogue", "rogue-ca"),
    }


def tls_config(certificates, **extra):
    key, certificate = certificates["atrium"]
    config = {
        "DicomAet": "ATRIUM",
        "DicomTlsEnabled": True,
        "DicomTlsCertificate": str(certificate),
        "DicomTlsPrivateKey": str(key),
        "DicomTlsTrustedCertificates": str(certificates["ca"]),
        "DicomAlwaysAllowEcho": True,
        "DicomAlwaysAllowStore": True,
    }
    config.update(extra)
    return config


@pytest.fixture(scope="module")
def storescp(certificates):
    """dcmtk's storescp over TLS, requiring a client certificate signed by the CA (its default)."""
    key, certificate = certificates["storescp"]
    port = free_port()
    output = certificates["folder"] / "received"
    output.mkdir()
    process = subprocess.Popen(
        [f"{DCMTK}/storescp", "-aet", "STORESCP", "+tls", str(key), str(certificate), "+cf", str(certificates["ca"]),
         "-od", str(output), str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield port, output
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(certificates, storescp):
    port, _ = storescp
    atrium = AtriumServer(tls_config(certificates, DicomModalities={
        "secure": {"AET": "STORESCP", "Host": "127.0.0.1", "Port": port, "UseDicomTls": True},
        "plain": {"AET": "STORESCP", "Host": "127.0.0.1", "Port": port},
    }))
    yield atrium
    atrium.stop()


def tls_options(certificates, client="modality"):
    key, certificate = certificates[client]
    return ["+tls", str(key), str(certificate), "+cf", str(certificates["ca"])]


def run(tool, *arguments):
    return subprocess.run([f"{DCMTK}/{tool}", *arguments], capture_output=True, text=True, timeout=60)


def test_echoscu_and_storescu_over_tls(server, certificates):
    echo = run("echoscu", *tls_options(certificates), "-aec", "ATRIUM", "127.0.0.1", str(server.dicom_port))
    assert echo.returncode == 0, echo.stdout + echo.stderr
    store = run("storescu", *tls_options(certificates), "-aec", "ATRIUM", "-aet", "SECURESCU", "127.0.0.1",
                str(server.dicom_port), str(pydicom_test_files() / "CT_small.dcm"))
    assert store.returncode == 0, store.stdout + store.stderr
    instances = requests.get(server.url + "/instances?expand").json()
    assert [instance["MainDicomTags"]["SOPInstanceUID"] for instance in instances] == [
        "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"]
    origin = requests.get(server.url + f"/instances/{instances[0]['ID']}/metadata/RemoteAET").text
    assert origin == "SECURESCU"


def test_plain_tcp_is_refused(server):
    echo = run("echoscu", "-aec", "ATRIUM", "127.0.0.1", str(server.dicom_port))
    assert echo.returncode != 0


def test_a_client_without_certificate_is_refused(server, certificates):
    echo = run("echoscu", "+tla", "+cf", str(certificates["ca"]), "-aec", "ATRIUM", "127.0.0.1",
               str(server.dicom_port))
    assert echo.returncode != 0


def test_a_client_with_an_untrusted_certificate_is_refused(server, certificates):
    key, certificate = certificates["rogue"]
    echo = run("echoscu", "+tls", str(key), str(certificate), "+cf", str(certificates["ca"]), "-aec", "ATRIUM",
               "127.0.0.1", str(server.dicom_port))
    assert echo.returncode != 0


def test_a_client_must_trust_atriums_certificate(server, certificates):
    key, certificate = certificates["modality"]
    echo = run("echoscu", "+tls", str(key), str(certificate), "+cf", str(certificates["folder"] / "rogue-ca.crt"),
               "-aec", "ATRIUM", "127.0.0.1", str(server.dicom_port))
    assert echo.returncode != 0


def test_the_server_stays_up_after_failed_handshakes(server, certificates):
    with socket.create_connection(("127.0.0.1", server.dicom_port), timeout=5) as sock:
        sock.sendall(b"\x01\x00\x00\x00\x00\x10" + b"\x00" * 16)
        sock.settimeout(5)
        try:
            while sock.recv(4096):
                pass
        except OSError:
            pass
    echo = run("echoscu", *tls_options(certificates), "-aec", "ATRIUM", "127.0.0.1", str(server.dicom_port))
    assert echo.returncode == 0, echo.stdout + echo.stderr


def test_atrium_calls_a_tls_modality(server, storescp):
    _, output = storescp
    assert requests.post(server.url + "/modalities/secure/echo", json={}).status_code == 200
    instances = requests.get(server.url + "/instances").json()
    answer = requests.post(server.url + "/modalities/secure/store", json={"Resources": instances})
    assert answer.status_code == 200, answer.text
    assert answer.json()["FailedInstancesCount"] == 0
    assert [path.name for path in output.iterdir()] == ["CT.1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"]


def test_plain_tcp_toward_a_tls_modality_fails(server):
    answer = requests.post(server.url + "/modalities/plain/echo", json={})
    assert answer.status_code == 500
    assert answer.json()["OrthancStatus"] == 9


def test_without_remote_certificate_required_anonymous_clients_are_served(certificates):
    # The trusted certificates are then not needed, as since Orthanc 1.12.4.
    config = tls_config(certificates, DicomTlsRemoteCertificateRequired=False)
    del config["DicomTlsTrustedCertificates"]
    atrium = AtriumServer(config)
    try:
        echo = run("echoscu", "+tla", "+cf", str(certificates["ca"]), "-aec", "ATRIUM", "127.0.0.1",
                   str(atrium.dicom_port))
        assert echo.returncode == 0, echo.stdout + echo.stderr
    finally:
        atrium.stop()


def handshake(port, *options):
    result = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", *options], input="",
                            capture_output=True, text=True, timeout=30)
    return "Cipher is (NONE)" not in result.stdout and result.returncode == 0


def test_only_tls_1_2_and_later_are_accepted(server, certificates):
    key, certificate = certificates["modality"]
    options = ["-cert", str(certificate), "-key", str(key), "-CAfile", str(certificates["ca"])]
    assert handshake(server.dicom_port, "-tls1_2", *options)
    # BCP 195, Orthanc's and DCMTK's default profile: no TLS 1.1 (SECLEVEL=0 lets openssl offer it).
    assert not handshake(server.dicom_port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", *options)


def test_the_minimum_protocol_version_and_the_cipher_suites_are_those_configured(certificates):
    # DicomTlsMinimumProtocolVersion 5: TLS 1.3 only.
    key, certificate = certificates["modality"]
    options = ["-cert", str(certificate), "-key", str(key), "-CAfile", str(certificates["ca"])]
    atrium = AtriumServer(tls_config(certificates, DicomTlsMinimumProtocolVersion=5))
    try:
        assert handshake(atrium.dicom_port, "-tls1_3", *options)
        assert not handshake(atrium.dicom_port, "-tls1_2", *options)
    finally:
        atrium.stop()
    # Version 4 with one TLS 1.2 suite: a client offering only another suite is refused.
    atrium = AtriumServer(tls_config(certificates, DicomTlsMinimumProtocolVersion=4,
                                     DicomTlsCiphersAccepted=["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]))
    try:
        assert handshake(atrium.dicom_port, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384", *options)
        assert not handshake(atrium.dicom_port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", *options)
        echo = run("echoscu", *tls_options(certificates), "-aec", "ATRIUM", "127.0.0.1", str(atrium.dicom_port))
        assert echo.returncode == 0, echo.stdout + echo.stderr
    finally:
        atrium.stop()


@pytest.mark.parametrize("change, message", [
    ({"DicomTlsMinimumProtocolVersion": 6}, "DicomTlsMinimumProtocolVersion must be from 0 to 5, not 6"),
    ({"DicomTlsCiphersAccepted": ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]},
     "DicomTlsCiphersAccepted cannot be changed with the default profile"),
    ({"DicomTlsMinimumProtocolVersion": 4, "DicomTlsCiphersAccepted": ["NO_SUCH_SUITE"]},
     "unknown or unsupported cipher suite NO_SUCH_SUITE"),
])
def test_bad_tls_protocol_settings_stop_atrium_from_starting(certificates, change, message):
    with pytest.raises(RuntimeError) as failure:
        AtriumServer(tls_config(certificates, **change))
    assert message in str(failure.value)


@pytest.mark.parametrize("change, message", [
    ({"DicomTlsPrivateKey": "missing.key"}, "cannot read the private key (PEM) from missing.key"),
    ({"DicomTlsCertificate": "garbage.pem"}, "cannot read the certificate (PEM) from garbage.pem"),
    ({"DicomTlsTrustedCertificates": None}, "DicomTlsTrustedCertificates is not set"),
    ({"DicomTlsCertificate": None, "DicomTlsPrivateKey": None},
     "DicomTlsCertificate and DicomTlsPrivateKey are not set"),
    ({"DicomTlsPrivateKey": "modality.key"}, "does not match the certificate"),
])
def test_bad_tls_files_stop_atrium_from_starting(certificates, change, message):
    folder = certificates["folder"]
    (folder / "garbage.pem").write_text("not a certificate\n")
    config = tls_config(certificates)
    for key, value in change.items():
        if value is None:
            del config[key]
        else:
            config[key] = str(folder / value)
    with pytest.raises(RuntimeError) as failure:
        AtriumServer(config)
    assert message.replace("missing.key", str(folder / "missing.key")).replace(
        "garbage.pem", str(folder / "garbage.pem")) in str(failure.value)


def test_a_tls_modality_needs_the_tls_keys(storescp):
    port, _ = storescp
    atrium = AtriumServer({"DicomModalities": {
        "secure": {"AET": "STORESCP", "Host": "127.0.0.1", "Port": port, "UseDicomTls": True}}})
    try:
        answer = requests.post(atrium.url + "/modalities/secure/echo", json={})
        assert answer.status_code == 500
        assert "DICOM TLS needs DicomTlsCertificate" in answer.json()["Details"]
    finally:
        atrium.stop()


def test_with_a_real_orthanc_over_tls_in_both_directions(certificates):
    atrium_dicom, orthanc_dicom = free_port(), free_port()
    key, certificate = certificates["storescp"]
    orthanc = OrthancServer({
        "DicomTlsEnabled": True, "DicomTlsCertificate": str(certificate), "DicomTlsPrivateKey": str(key),
        "DicomTlsTrustedCertificates": str(certificates["ca"]), "DicomAlwaysAllowStore": True,
        "DicomModalities": {"atrium": {"AET": "ATRIUM", "Host": "127.0.0.1", "Port": atrium_dicom,
                                       "UseDicomTls": True}},
    }, dicom_port=orthanc_dicom)
    try:
        atrium = AtriumServer(tls_config(certificates, DicomPort=atrium_dicom, DicomModalities={
            "orthanc": {"AET": "ORTHANC", "Host": "127.0.0.1", "Port": orthanc_dicom, "UseDicomTls": True}}))
        try:
            assert requests.post(orthanc.url + "/modalities/atrium/echo", json={}).ok
            assert requests.post(atrium.url + "/modalities/orthanc/echo", json={}).ok
            instance = requests.post(atrium.url + "/instances",
                                     data=(pydicom_test_files() / "CT_small.dcm").read_bytes()).json()["ID"]
            answer = requests.post(atrium.url + "/modalities/orthanc/store", json={"Resources": [instance]})
            assert answer.ok and answer.json()["FailedInstancesCount"] == 0, answer.text
            assert requests.get(orthanc.url + "/instances").json() == [instance]
            requests.delete(atrium.url + f"/instances/{instance}")
            answer = requests.post(orthanc.url + "/modalities/atrium/store", json={"Resources": [instance]})
            assert answer.ok, answer.text
            assert requests.get(atrium.url + "/instances").json() == [instance]
        finally:
            atrium.stop()
    finally:
        orthanc.stop()
