"""`atrium dump --json` over pydicom's sample files, compared with pydicom's DICOM JSON (PS3.18 Annex F).

Each file pydicom reads (as make_reference.py reads it) is printed by one `$ATRIUM_BIN dump --json FILE…` run,
one line per file, and every element is compared with pydicom's `to_json_dict`: strings equal, numbers equal
as numbers, binary values equal as bytes, person names by component group, sequences item by item. The rules
that skip a comparison are the ones of Tests/DICOMTests/Corpus/CorpusValuesTests.swift, plus
groupLengthsLeftOut: `dump --json` leaves group length elements out.
"""
import base64
import json
import math
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from make_reference import corpus_files, dataset_json, read  # noqa: E402

# Files pydicom reads that Atrium deliberately rejects (see SampleCorpus.rejected).
REJECTED = {"MR_truncated.dcm", "rtplan_truncated.dcm", "DICOMDIR-nooffset",
            "emri_small_jpeg_2k_lossless_too_short.dcm", "no_meta.dcm", "README"}
NUMERIC = {"DS", "IS", "US", "SS", "UL", "SL", "UV", "SV", "FL", "FD"}


def atrium_binary():
    binary = os.environ.get("ATRIUM_BIN")
    if not binary:
        pytest.skip("ATRIUM_BIN is not set (scripts/test sets it)")
    return binary


def readable_files():
    files = []
    for path in corpus_files():
        if os.path.basename(path) in REJECTED:
            continue
        dataset, _ = read(path)
        if dataset is None:
            continue
        meta = getattr(dataset, "file_meta", None)
        big_endian = meta is not None and str(meta.get("TransferSyntaxUID", "")) == "1.2.840.10008.1.2.2"
        try:
            files.append((path, dataset_json(dataset), big_endian))
        except Exception:  # pydicom cannot walk this data set: make_reference.py marks it unreadable
            continue
    return files


def compare(atrium, reference, path, differences, big_endian=False):
    for key in sorted(set(atrium) | set(reference)):
        here = path + key
        if key not in reference:
            differences.append("%s: not in pydicom's reading" % here)
            continue
        expected = reference[key]
        if "pydicomError" in expected:  # rule pydicomError: nothing to compare with
            continue
        if key not in atrium:
            if key.endswith("0000"):
                continue  # rule groupLengthsLeftOut: dump --json leaves group lengths out, as PS3.18 allows
            differences.append("%s: missing" % here)
            continue
        compare_element(atrium[key], expected, here, differences, big_endian)


def compare_element(actual, expected, path, differences, big_endian):
    vr = expected.get("vr")
    if actual.get("vr") == "UN" and vr != "UN":
        return  # rule explicitUNResolved: pydicom re-reads explicit UN with the dictionary's VR
    if actual.get("vr") != vr:
        differences.append("%s: VR %s != %s" % (path, actual.get("vr"), vr))
        return
    if "InlineBinary" in actual or "InlineBinary" in expected:
        lhs = base64.b64decode(actual.get("InlineBinary", ""))
        rhs = base64.b64decode(expected.get("InlineBinary", ""))
        unit = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}.get(vr, 1)
        if big_endian and unit > 1:
            # rule bigEndianInlineBinary: pydicom keeps the bytes as encoded, PS3.18 wants little endian
            rhs = b"".join(rhs[start:start + unit][::-1] for start in range(0, len(rhs) - unit + 1, unit))
        if lhs != rhs:
            differences.append("%s: %d bytes != %d bytes" % (path, len(lhs), len(rhs)))
        return
    lhs = actual.get("Value", [])
    rhs = expected.get("Value", [])
    if vr == "SQ":
        if len(lhs) != len(rhs):
            differences.append("%s: %d items != %d" % (path, len(lhs), len(rhs)))
            return
        for index, (item, expected_item) in enumerate(zip(lhs, rhs)):
            compare(item, expected_item, "%s/%d/" % (path, index), differences, big_endian)
        return
    if vr in NUMERIC and len(lhs) != len(rhs) and None in lhs:
        # rule emptyValueIsNull: pydicom leaves empty numeric values out of the array
        lhs = [value for value in lhs if value is not None]
        rhs = [value for value in rhs if value is not None]
    if len(lhs) != len(rhs):
        differences.append("%s: %d values != %d" % (path, len(lhs), len(rhs)))
        return
    for index, (value, wanted) in enumerate(zip(lhs, rhs)):
        here = "%s[%d]" % (path, index)
        if value is None and wanted in ("", None):  # rule emptyValueIsNull
            continue
        if vr in NUMERIC:
            if isinstance(value, (int, float)) and isinstance(wanted, (int, float)) and (
                    float(value) == float(wanted) or (math.isnan(value) and math.isnan(wanted))):
                continue
            differences.append("%s: %r != %r" % (here, value, wanted))
        elif vr == "PN":
            wanted_groups = {name: text.rstrip(" ") for name, text in (wanted or {}).items() if text.rstrip(" ")}
            if (value or {}) != wanted_groups:
                differences.append("%s: %r != %r" % (here, value, wanted_groups))
        elif value != (wanted.rstrip(" ") if isinstance(wanted, str) else wanted):
            # rule trailingSpacesInsideValues: pydicom keeps padding spaces inside multi-valued strings
            differences.append("%s: %r != %r" % (here, value, wanted))


def test_dump_json_matches_pydicom():
    binary = atrium_binary()
    files = readable_files()
    assert len(files) > 200
    result = subprocess.run([binary, "dump", "--json"] + [path for path, _, _ in files],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    failures = []
    for (path, reference, big_endian), line in zip(files, lines):
        differences = []
        compare(json.loads(line), reference, "", differences, big_endian)
        if differences:
            failures.append("%s: %s" % (path, "; ".join(differences[:8])))
    assert not failures, "\n".join(failures[:40])


def test_dump_json_prints_one_compact_line_per_file():
    binary = atrium_binary()
    path = [path for path in corpus_files() if path.endswith(os.path.join("test_files", "CT_small.dcm"))][0]
    result = subprocess.run([binary, "dump", "--json", path, path], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[0] == lines[1]
    dataset = json.loads(lines[0])
    assert dataset["00100010"] == {"vr": "PN", "Value": [{"Alphabetic": "CompressedSamples^CT1"}]}
    assert dataset["00280010"] == {"vr": "US", "Value": [128]}
    assert dataset["7FE00010"]["vr"] == "OW" and len(base64.b64decode(dataset["7FE00010"]["InlineBinary"])) == 32768
