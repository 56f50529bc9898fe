import os
from pathlib import Path

import pytest

from diagnostics.exceptions import OutputNotWritable
from diagnostics.outputs.folders import check_output_folder


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "afile").write_text("keep")
    with pytest.raises(OutputNotWritable, match=r"afile: it is a file; give a folder"):
        check_output_folder(tmp_path / "afile")


def test_an_output_folder_under_a_file_is_refused(tmp_path):
    (tmp_path / "afile").write_text("keep")
    with pytest.raises(OutputNotWritable, match=r"afile is a file, so no folder can be made under it"):
        check_output_folder(tmp_path / "afile" / "sub" / "deeper")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a folder whatever its permissions")
def test_a_read_only_output_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputNotWritable, match=r"cannot be written to .*; choose a folder you can write to"):
            check_output_folder(folder / "out")
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's read-only /sys")
def test_an_output_folder_on_a_read_only_file_system_is_refused():
    with pytest.raises(OutputNotWritable, match=r"/sys/kernel cannot be written to"):
        check_output_folder("/sys/kernel/place-diagnostics-out")


def test_a_writable_output_folder_is_resolved_and_nothing_is_left(tmp_path):
    assert check_output_folder(tmp_path / "new" / "out") == (tmp_path / "new" / "out").resolve()
    assert list(tmp_path.iterdir()) == []
