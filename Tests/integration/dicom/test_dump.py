"""`atrium dump` as a person uses it: listings, errors naming the file and offset, exit status."""
import subprocess


def run(atrium_bin, *arguments):
    return subprocess.run([atrium_bin, "dump", *arguments], capture_output=True, text=True, timeout=60)


def test_listing_shows_tags_vrs_values_and_keywords(atrium_bin, pydicom_test_files):
    result = run(atrium_bin, str(pydicom_test_files / "CT_small.dcm"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# File meta information (Explicit VR Little Endian)"
    assert "(0002,0010) UI [1.2.840.10008.1.2.1]  # 20, TransferSyntaxUID" in lines
    assert "(0010,0010) PN [CompressedSamples^CT1]  # 22, PatientName" in lines
    assert "(0028,0010) US 128  # 2, Rows" in lines
    assert "(0009,0010) LO [GEMS_IDEN_01]  # 12, PrivateCreator" in lines
    assert any(line.startswith("(7FE0,0010) OW ") and line.endswith("# 32768, PixelData") for line in lines)


def test_sequences_are_indented_by_item(atrium_bin, pydicom_test_files):
    result = run(atrium_bin, str(pydicom_test_files / "rtplan.dcm"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    sequence = next(i for i, line in enumerate(lines) if line.startswith("(300A,00B0) SQ"))
    assert lines[sequence + 1].startswith("  (FFFE,E000) Item 1")
    assert lines[sequence + 2].startswith("    (")


def test_several_files_are_headed_by_their_path(atrium_bin, pydicom_test_files):
    first, second = str(pydicom_test_files / "CT_small.dcm"), str(pydicom_test_files / "MR_small.dcm")
    result = run(atrium_bin, first, second)
    assert result.returncode == 0, result.stderr
    assert "# " + first in result.stdout.splitlines()
    assert "# " + second in result.stdout.splitlines()


def test_errors_name_the_file_and_the_byte_offset(atrium_bin, pydicom_test_files, tmp_path):
    broken = tmp_path / "broken.dcm"
    good = (pydicom_test_files / "CT_small.dcm").read_bytes()
    broken.write_bytes(good[:1000])
    result = run(atrium_bin, str(broken), str(pydicom_test_files / "MR_small.dcm"))
    assert result.returncode == 1
    assert result.stderr.startswith("atrium dump: %s: " % broken)
    assert "at byte offset " in result.stderr
    # The readable file is still printed.
    assert "MR_small" not in result.stderr
    assert "(0008,0060) CS [MR]" in result.stdout


def test_a_missing_file_is_reported(atrium_bin, tmp_path):
    result = run(atrium_bin, str(tmp_path / "nothing.dcm"))
    assert result.returncode == 1
    assert str(tmp_path / "nothing.dcm") in result.stderr


def test_stop_before_pixel_data(atrium_bin, pydicom_test_files):
    result = run(atrium_bin, "--stop-before-pixel-data", str(pydicom_test_files / "CT_small.dcm"))
    assert result.returncode == 0
    assert "(7FE0,0010)" not in result.stdout
    assert "(0028,0010) US 128  # 2, Rows" in result.stdout.splitlines()
