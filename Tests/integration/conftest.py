"""Shared fixtures of Atrium's end-to-end tests."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def atrium_bin() -> str:
    """The atrium executable under test: $ATRIUM_BIN (set by scripts/test), else the debug build."""
    path = os.environ.get("ATRIUM_BIN") or str(ROOT / ".build" / "debug" / "atrium")
    if not os.access(path, os.X_OK):
        pytest.fail("atrium is not built: run `swift build` or scripts/test (looked for %s)" % path)
    return path


@pytest.fixture(scope="session")
def pydicom_test_files() -> pathlib.Path:
    """pydicom's own sample files, located at run time."""
    import pydicom
    return pathlib.Path(pydicom.__file__).parent / "data" / "test_files"
