#!/usr/bin/env python3
"""pydicom's side of the parse benchmark: dcmread every file, with and without stop_before_pixels,
reading the same identifiers as Atrium's side. Prints one JSON line per mode.

usage: pydicom_parse.py LIST_FILE [ROUNDS] [MODE]   (MODE: pydicom-full or pydicom-stop-before-pixels)"""
import json
import os
import sys
import time
import warnings

import pydicom

paths = [line.strip() for line in open(sys.argv[1]) if line.strip()]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
warnings.simplefilter("ignore")
only = sys.argv[3] if len(sys.argv) > 3 else None
for mode, stop in (("pydicom-full", False), ("pydicom-stop-before-pixels", True)):
    if only and mode != only:
        continue
    files = size = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for path in paths:
            size += os.path.getsize(path)
            dataset = pydicom.dcmread(path, stop_before_pixels=stop, force=True)
            for keyword in ("SOPInstanceUID", "PatientID", "StudyInstanceUID", "SeriesInstanceUID"):
                dataset.get(keyword)
            files += 1
    seconds = time.perf_counter() - start
    print(json.dumps({"tool": mode, "passes": rounds, "files": files, "bytes": size, "seconds": seconds,
                      "filesPerSecond": files / seconds, "megabytesPerSecond": size / seconds / 1e6}))
