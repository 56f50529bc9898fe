"""`batch --from FILE` reads a list saved by a spreadsheet in Windows-1252, and a file that is not
text at all is exit status 2 naming it, not a traceback."""

from __future__ import annotations

from typer.testing import CliRunner

from diagnostics.cli import app
from diagnostics.outputs.batch import select_places


def test_a_list_saved_in_windows_1252_is_read(tiny_store_path, tmp_path):
    path = tmp_path / "places.txt"
    path.write_bytes("# Liste für das Café (£)\nBrackley Vale\n".encode("cp1252"))
    assert [p.code for p in select_places(tiny_store_path, from_file=path)] == ["D2"]


def test_a_csv_list_with_a_byte_order_mark_is_read(tiny_store_path, tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes("\ufeffcode,note\nD2,café\n".encode("utf-8"))
    assert [p.code for p in select_places(tiny_store_path, from_file=path)] == ["D2"]


def test_a_binary_list_file_is_exit_status_2_naming_it(tiny_store_path, tmp_path):
    path = tmp_path / "places.txt"
    path.write_bytes(b"D2\n\x81\x8d\x8f\x90\x9d\n")  # bytes neither UTF-8 nor Windows-1252 defines
    result = CliRunner().invoke(app, ["batch", "--from", str(path), "--store", str(tiny_store_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "which is not text in UTF-8 or Windows-1252" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
