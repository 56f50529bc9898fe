"""`run --boundary` on a store without small-area polygons (a real-England import without LSOA
boundaries) says which file would make it work, with exit status 2, before reading the boundary."""

from __future__ import annotations

import json

from helpers import england_files as ef
from typer.testing import CliRunner

from diagnostics.cli import app


def test_a_boundary_on_a_store_without_small_area_polygons_names_the_lsoa_file(tiny_england_store, tmp_path):
    west = ef.DISTRICTS["E08000001"][1]
    ring = [[west, ef.SOUTH], [west + 0.05, ef.SOUTH], [west + 0.05, ef.NORTH], [west, ef.NORTH], [west, ef.SOUTH]]
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Mine"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    result = CliRunner().invoke(app, ["run", "--boundary", str(path), "--name", "Mine", "--store", str(tiny_england_store.path),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "this store has no small-area polygons (it has boundaries for combined_authority, country, county, district" in result.output
    assert "Lower Layer Super Output Areas (December 2011) Boundaries EW BGC" in result.output
    assert "boundaries/england_by_lad/lsoa11_bgc/" in result.output and "Traceback" not in result.output
