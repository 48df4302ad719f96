#!/usr/bin/env python3
"""Derive a large data set from one made by the peer generator, in minutes instead of the better part of an hour.

Each copy k (0 ≤ k < --copies) of every source file gets new identifiers by a same-length byte substitution, so
the files stay valid DICOM (no length field changes): the last two digits of every UID of the hierarchy
(StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID and its copy in the meta group) become `k` on two digits,
and the first four characters of PatientID become `C{k}2-`. Patients, studies and series therefore stay
grouped as in the source, and copies never share an identifier with each other.

  bench/imaging/derive-dataset.py --source DIR --out DIR --copies 10
"""
import argparse
import os
import sys

import pydicom


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, help="a folder written by gen-dataset.py")
    parser.add_argument("--out", required=True)
    parser.add_argument("--copies", type=int, default=10)
    arguments = parser.parse_args()
    if not 1 <= arguments.copies <= 10:
        sys.exit("--copies must be between 1 and 10")
    sources = sorted(os.path.join(base, name) for base, _, names in os.walk(arguments.source)
                     for name in names if name.endswith(".dcm"))
    os.makedirs(arguments.out, exist_ok=True)
    written = 0
    for index, path in enumerate(sources):
        data = open(path, "rb").read()
        dataset = pydicom.dcmread(path, stop_before_pixels=True)
        uids = [str(dataset.StudyInstanceUID), str(dataset.SeriesInstanceUID), str(dataset.SOPInstanceUID)]
        patient = str(dataset.PatientID)
        for uid in uids:
            if len(uid.rsplit(".", 1)[-1]) < 4:
                sys.exit(f"{path}: UID {uid} has too short a last component to rewrite")
        for copy in range(arguments.copies):
            derived = data
            for uid in uids:
                derived = derived.replace(uid.encode(), (uid[:-2] + f"{copy:02d}").encode())
            if len(patient) >= 4:
                derived = derived.replace(patient.encode(), (f"C{copy}2-" + patient[4:]).encode())
            folder = os.path.join(arguments.out, f"{copy:02d}", f"{index // 1000:03d}")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"{index:06d}.dcm"), "wb") as handle:
                handle.write(derived)
            written += 1
    with open(os.path.join(arguments.out, "manifest.json"), "w") as handle:
        handle.write('{"derived_from": "%s", "copies": %d, "instances": %d}\n'
                     % (os.path.basename(os.path.normpath(arguments.source)), arguments.copies, written))
    print(f"{written} files in {arguments.out}")


if __name__ == "__main__":
    main()
