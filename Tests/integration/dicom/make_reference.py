#!/usr/bin/env python3
"""Dump pydicom's reading of its own sample files as DICOM JSON, the reference Atrium is compared to.

The corpus is every file of pydicom's `data/test_files` and `data/charset_files` folders and of the
pydicom-data package, located at run time. For each file pydicom can read (first strictly, then with
force=True for raw data sets), the script writes pydicom's DICOM JSON (PS3.18 Annex F) of the data set,
binary values inline, one element at a time so that one value pydicom cannot render does not hide the
others. manifest.json lists the files, whether pydicom read them, and where their reference is.
"""
import argparse
import hashlib
import json
import os
import sys
import warnings

import pydicom
from pydicom.dataelem import DataElement


def corpus_files():
    roots = [os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files"),
             os.path.join(os.path.dirname(pydicom.__file__), "data", "charset_files")]
    try:
        import data_store  # pydicom-data
        roots.append(os.path.join(os.path.dirname(data_store.__file__), "data"))
    except ImportError:
        pass
    for root in roots:
        for directory, _, names in os.walk(root):
            for name in sorted(names):
                if name.endswith((".py", ".pyc", ".txt", ".json", ".icc", ".dump", ".gz", ".zip", ".bz2")):
                    continue
                yield os.path.join(directory, name)


def element_json(element: DataElement):
    """pydicom's DICOM JSON of one element, or an error marker."""
    try:
        return element.to_json_dict(bulk_data_element_handler=None, bulk_data_threshold=1 << 62)
    except Exception as error:  # pydicom cannot render this value
        return {"vr": element.VR, "pydicomError": type(error).__name__}


def dataset_json(dataset):
    result = {}
    for element in dataset:
        key = "%08X" % element.tag
        if element.VR == "SQ":
            items = [dataset_json(item) for item in (element.value or [])]
            result[key] = {"vr": "SQ", "Value": items} if items else {"vr": "SQ"}
        else:
            result[key] = element_json(element)
    return result


def read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pydicom.dcmread(path), False
        except Exception:
            pass
        try:
            dataset = pydicom.dcmread(path, force=True)
            if len(dataset) == 0:
                return None, True
            return dataset, True
        except Exception:
            return None, True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    manifest = []
    for path in corpus_files():
        entry = {"path": path, "readable": False}
        dataset, forced = read(path)
        if dataset is not None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    reference = {
                        "transferSyntax": str(dataset.file_meta.TransferSyntaxUID)
                        if "TransferSyntaxUID" in getattr(dataset, "file_meta", {}) else None,
                        "dataSet": dataset_json(dataset),
                    }
                name = hashlib.sha1(path.encode()).hexdigest()[:16] + ".json"
                with open(os.path.join(arguments.out, name), "w") as output:
                    json.dump(reference, output)
                entry.update(readable=True, forced=forced, reference=name)
            except Exception as error:  # pydicom fails while walking the data set: not readable
                entry["error"] = "%s: %s" % (type(error).__name__, error)
        manifest.append(entry)
    with open(os.path.join(arguments.out, "manifest.json"), "w") as output:
        json.dump(manifest, output, indent=1)
    readable = sum(1 for entry in manifest if entry["readable"])
    print("pydicom reference: %d files, %d readable by pydicom" % (len(manifest), readable))


if __name__ == "__main__":
    sys.exit(main())
