"""A user's own boundary as a place: read and check the file, match it to small areas, derive a store.

The pipeline, top to bottom:

1. :func:`read_boundary` reads a GeoJSON or GeoPackage, picks the feature(s) that make the place,
   repairs or refuses bad geometry, reprojects to British National Grid (EPSG:27700) and checks the
   shape lies in the store's country. Every problem is an
   :class:`~diagnostics.exceptions.InvalidBoundary` saying what is wrong and how to fix it.
2. :func:`custom_place_store` assigns small areas to the boundary by best fit (each small area whose
   representative point lies inside; :func:`diagnostics.geography.best_fit.best_fit_lookup`), measures the
   residents that misplaces, and writes a store = the base store plus one area of the layer
   ``custom``: its lookups (weight 1), its indicators summed from small-area counts
   (:func:`diagnostics.store.rollup.roll_up`) and its boundary. The store is cached under the base
   store's version and the boundary's digest, so a second run reuses it.
3. :func:`boundary_place` does both and returns the store's path and the :class:`Place`, ready for
   :func:`diagnostics.outputs.run.run_place`.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from diagnostics.atomic import staged_directory
from diagnostics.exceptions import InvalidBoundary
from diagnostics.geography.best_fit import best_fit_lookup
from diagnostics.geography.lookups import small_area_points, small_area_population
from diagnostics.resources import cache_dir
from diagnostics.store.checks import file_digest, validate_boundaries
from diagnostics.store.places import Place
from diagnostics.store.rollup import roll_up
from diagnostics.store.schema import (
    BOUNDARY_CRS,
    SCHEMA_VERSION,
    TABLE_SCHEMAS,
    validate_table,
)
from diagnostics.store.store import MANIFEST_NAME, Store, as_store, open_store

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["read_boundary", "custom_place_store", "boundary_place", "boundary_digest", "CUSTOM_LAYER", "SUFFIXES"]

#: The layer a user's own places are put in.
CUSTOM_LAYER = "custom"
#: File types read (GeoJSON and GeoPackage).
SUFFIXES = (".geojson", ".json", ".gpkg")
_POLYGONAL = {"Polygon", "MultiPolygon"}


def _fail(path: Path, problem: str, fix: str) -> InvalidBoundary:
    return InvalidBoundary(f"The boundary file {path} cannot be used: {problem}. {fix}")


def read_boundary(
    path,
    *,
    name: str | None = None,
    name_field: str | None = None,
    store,
) -> gpd.GeoDataFrame:
    """Read a user's boundary file and check it can be a place.

    Parameters
    ----------
    path : path-like
        A GeoJSON (``.geojson``/``.json``) or GeoPackage (``.gpkg``) of polygons.
    name : str, optional
        The place's name. With ``name_field``, the value of that field naming the feature(s) to
        use; without it, the name given to the file's single feature (default: the file's stem).
    name_field : str, optional
        The attribute holding each feature's name: required when the file has several features.
        Features sharing the chosen name are merged into one place.
    store : Store or path-like
        The store whose country the boundary must lie in.

    Returns
    -------
    GeoDataFrame
        One row: ``name``, ``geometry`` (a valid (Multi)Polygon in EPSG:27700), with
        ``attrs["notes"]`` listing anything repaired or reprojected (``attrs["repairs"]`` the
        repairs alone: invalid geometry made valid, non-polygon parts left out).

    Raises
    ------
    InvalidBoundary
        For a missing or unreadable file; no features; several features and no ``name_field`` (or
        an unknown field, or a name not found); no CRS declared, or coordinates that do not fit
        the declared CRS; no polygon; a geometry empty or beyond repair; a shape outside the
        store's country, or too small to hold any small area's centre.
    """
    import geopandas as gpd
    import shapely

    path = Path(path).expanduser()
    if not path.is_file():
        raise _fail(path, "there is no such file", "Check the path.")
    if path.suffix.lower() not in SUFFIXES:
        raise _fail(path, f"its type {path.suffix or '(none)'} is not read", "Give a GeoJSON (.geojson) or a GeoPackage (.gpkg).")
    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types for a damaged file
        raise _fail(path, f"it cannot be read as {path.suffix} ({err})", "Check it opens in QGIS, or export it again.") from err
    notes: list[str] = []  # what was done to the file, shown on the page
    repairs: list[str] = []  # the subset that changed its shapes: also warned about
    if frame.empty:
        raise _fail(path, "it has no features", "Draw the area's boundary as one polygon feature.")
    frame = _choose_features(path, frame, name, name_field)
    place_name = name or (str(frame["_name"].iloc[0]) if name_field else path.stem)

    if frame.crs is None:
        raise _fail(
            path,
            "it declares no coordinate reference system",
            "Save it with a CRS (EPSG:27700 for British National Grid metres, EPSG:4326 for longitude/latitude), "
            "e.g. QGIS: Export > Save Features As... with the CRS set.",
        )
    _check_coordinates_fit_crs(path, frame)
    kinds = set(frame.geometry.geom_type.dropna())
    if frame.geometry.isna().all() or frame.geometry.is_empty.all():
        raise _fail(path, "its geometry is empty", "Draw the area's boundary as a polygon.")
    if not kinds & _POLYGONAL:
        raise _fail(path, f"it holds {', '.join(sorted(kinds))} geometry, not an area", "Give the place's outline as a polygon.")
    if kinds - _POLYGONAL:
        repairs.append(f"Non-polygon parts ({', '.join(sorted(kinds - _POLYGONAL))}) were left out.")
        frame = frame.loc[frame.geometry.geom_type.isin(_POLYGONAL)]
    if not frame.geometry.is_valid.all():
        reason = shapely.is_valid_reason(frame.geometry.values[~frame.geometry.is_valid.to_numpy()][0])
        frame = frame.set_geometry(frame.geometry.make_valid())
        repairs.append(f"The boundary's geometry was invalid ({reason}) and was repaired with shapely.make_valid.")
    if str(frame.crs.to_string()) != BOUNDARY_CRS:
        notes.append(f"Reprojected from {frame.crs.to_string()} to {BOUNDARY_CRS} (British National Grid).")
        frame = frame.to_crs(BOUNDARY_CRS)
    shape = shapely.union_all(frame.geometry.values)
    polygons = [g for g in getattr(shape, "geoms", [shape]) if g.geom_type in _POLYGONAL]
    shape = shapely.union_all(polygons) if polygons else shapely.Polygon()
    if shape.is_empty or shape.area <= 0:
        raise _fail(path, "its geometry is empty (or has no area once repaired)", "Draw the area's boundary as a polygon.")
    _check_inside_country(path, shape, as_store(store))
    out = gpd.GeoDataFrame({"name": [place_name]}, geometry=[shape], crs=BOUNDARY_CRS)
    out.attrs["notes"] = repairs + notes
    out.attrs["repairs"] = repairs
    out.attrs["file"] = path.name
    return out


def _choose_features(path: Path, frame, name: str | None, name_field: str | None):
    fields = [c for c in frame.columns if c != frame.geometry.name]
    if name_field is None:
        if len(frame) > 1:
            raise _fail(
                path,
                f"it has {len(frame)} features and no --name-field to tell which is the place",
                f"Pass --name-field with one of its fields ({', '.join(fields) or 'it has none'}) and --name with the value wanted.",
            )
        return frame.assign(_name=name)
    if name_field not in fields:
        raise _fail(path, f"it has no field {name_field!r}", f"Choose --name-field from {', '.join(fields) or '(it has no fields)'}.")
    values = frame[name_field].astype(str)
    if name is None:
        distinct = sorted(values.unique())
        if len(distinct) > 1:
            raise _fail(
                path,
                f"its field {name_field!r} names {len(distinct)} places",
                f"Pass --name with one of {', '.join(distinct[:10])}{' ...' if len(distinct) > 10 else ''}.",
            )
        return frame.assign(_name=distinct[0])
    chosen = frame.loc[values.str.casefold() == name.strip().casefold()]
    if chosen.empty:
        distinct = sorted(values.unique())
        raise _fail(
            path,
            f"no feature has {name_field} = {name!r}",
            f"Choose --name from {', '.join(distinct[:10])}{' ...' if len(distinct) > 10 else ''}.",
        )
    return chosen.assign(_name=name)


def _check_coordinates_fit_crs(path: Path, frame) -> None:
    """Longitude/latitude files whose numbers are metres (or the reverse) are a wrong declared CRS."""
    minx, miny, maxx, maxy = frame.total_bounds
    if not np.all(np.isfinite([minx, miny, maxx, maxy])):
        return
    if frame.crs.is_geographic and (abs(minx) > 180 or abs(maxx) > 180 or abs(miny) > 90 or abs(maxy) > 90):
        raise _fail(
            path,
            f"it declares {frame.crs.to_string()} (longitude/latitude) but its coordinates reach "
            f"({minx:.0f}, {miny:.0f}), which look like metres",
            "If they are British National Grid, declare EPSG:27700 in the file (GeoJSON: a \"crs\" member; "
            "QGIS: Layer > Set CRS), or reproject it to EPSG:4326.",
        )


def _check_inside_country(path: Path, shape, store: Store) -> None:
    codes, points, shapes = small_area_points(store)
    import shapely

    envelope = shapely.box(*shapely.total_bounds(shapes))
    if not shape.intersects(envelope) or not shapely.intersects(shapes, shape).any():
        raise _fail(
            path,
            f"it lies outside the store's country (its centre is at easting {shape.centroid.x:,.0f} m, "
            f"northing {shape.centroid.y:,.0f} m; the store's small areas span {envelope.bounds[0]:,.0f}-{envelope.bounds[2]:,.0f} m "
            f"east and {envelope.bounds[1]:,.0f}-{envelope.bounds[3]:,.0f} m north)",
            "Check the coordinates and the CRS, and that the store covers the area.",
        )
    if not shapely.within(points, shape).any():
        raise _fail(
            path,
            "it holds the centre of no small area, so no data can be built for it",
            "Draw a larger area: a place needs at least one whole small area (a few hundred households).",
        )


def boundary_digest(boundary) -> str:
    """A digest of the boundary's name and geometry (WKB, EPSG:27700)."""
    h = hashlib.sha256()
    h.update(str(boundary["name"].iloc[0]).encode())
    h.update(boundary.geometry.iloc[0].normalize().wkb)
    return h.hexdigest()


def _misplaced(store: Store, shape, fit: pd.DataFrame) -> tuple[float, float]:
    """Residents counted but living outside the shape, and living inside but counted elsewhere."""
    import shapely

    outside = float(fit["misplaced_population"].sum())
    codes, _points, shapes = small_area_points(store)
    assigned = set(fit["small_area_code"])
    touching = np.flatnonzero(shapely.intersects(shapes, shape) & ~np.isin(codes, list(assigned)))
    pop = small_area_population(store)
    left_out = 0.0
    if len(touching):
        share = shapely.area(shapely.intersection(shapes[touching], shape)) / shapely.area(shapes[touching])
        left_out = float((pop.reindex(codes[touching]).fillna(0).to_numpy() * share).sum())
    return outside, left_out


def custom_place_store(boundary, store, *, cache_root: Path | None = None) -> tuple[Path, Place]:
    """Derive (or reuse) the store holding a user's boundary as a place of the layer ``custom``.

    Parameters
    ----------
    boundary : GeoDataFrame
        One row from :func:`read_boundary`.
    store : Store or path-like
        The base store.
    cache_root : path-like, optional
        Where derived stores go; default ``<cache>/stores/custom``.

    Returns
    -------
    (Path, Place)
        The derived store's path (``<cache_root>/<base version>-<boundary digest>``) and the place.

    Notes
    -----
    Small areas are assigned to the boundary by best fit (representative point inside, the stand-in
    for ONS's population-weighted centroid). The place's indicators are the small-area rows of those
    small areas summed (numerators and denominators; value-only rows averaged weighted by their
    denominators), with intervals recomputed. The residents misplaced by best fit are recorded in the
    manifest (``custom_places``) and shown on the geographies page.
    """
    base = as_store(store)
    digest = boundary_digest(boundary)
    code = f"U{digest[:8].upper()}"
    name = str(boundary["name"].iloc[0])
    root = Path(cache_root) if cache_root else cache_dir() / "stores" / "custom"
    path = root / f"{base.version}-{digest[:16]}"
    place = Place(code, name, CUSTOM_LAYER)
    if (path / "store.json").is_file():
        try:
            if open_store(path).layer_of(code) == CUSTOM_LAYER:
                return path, place
        except Exception:  # a damaged cache entry is rebuilt below
            pass

    shape = boundary.geometry.iloc[0]
    target = boundary.assign(code=code)[["code", "name", "geometry"]]
    fit = best_fit_lookup(base, target)
    outside, left_out = _misplaced(base, shape, fit)
    counted = float(fit["population"].sum())
    small = list(fit["small_area_code"])

    areas = base.areas
    parent = _smallest_common_ancestor(base, small)
    row = pd.DataFrame([{"code": code, "name": name, "layer": CUSTOM_LAYER, "parent_code": parent,
                         "source": areas["source"].iloc[0], "vintage": areas["vintage"].iloc[0]}])
    lookups = base.lookups
    new_links = pd.DataFrame({"small_area_code": small, "layer": CUSTOM_LAYER, "area_code": code, "weight": 1.0,
                              "source": lookups["source"].iloc[0], "vintage": lookups["vintage"].iloc[0]})
    indicators = base.indicators
    rows = indicators.loc[indicators["area_code"].isin(small)]
    built = roll_up(rows, {s: code for s in small}, base.catalogue.reset_index(drop=True))
    changed = {
        "areas": pd.concat([areas, row], ignore_index=True),
        "lookups": pd.concat([lookups, new_links], ignore_index=True),
        "indicators": pd.concat([indicators, built[indicators.columns]], ignore_index=True),
    }
    info = {
        "file": boundary.attrs.get("file", ""),
        "n_small_areas": len(small),
        "residents_counted": counted,
        "residents_outside": outside,
        "residents_left_out": left_out,
        "misplaced_share": (outside + left_out) / counted if counted else float("nan"),
        "notes": list(boundary.attrs.get("notes", [])),
        "method": "best fit: small areas whose representative point lies inside the boundary",
    }
    extra = {k: v for k, v in base.manifest.items() if k not in _MANIFEST_OWN}
    extra.update(
        {
            "default_place": code,
            "base_store": str(base.path),
            "base_store_version": base.version,
            "custom_places": {**base.manifest.get("custom_places", {}), code: info},
        }
    )
    _write_derived_store(path, base, changed, target, json.loads(json.dumps(extra, default=str)))
    return path, place


#: Manifest fields :func:`_write_derived_store` sets itself.
_MANIFEST_OWN = ("schema_version", "store_version", "source", "vintage", "attribution", "created", "tables", "boundary_layers")


def _write_derived_store(path: Path, base: Store, changed: dict, custom_boundary, extra: dict) -> None:
    """Write the base store with some tables replaced and the custom layer's boundary added, atomically.

    The changed tables and the new boundary are validated against the contract and written; every
    other file is hard-linked from the base store (copied where links are impossible), so deriving a
    store costs the changed tables only, and a later rebuild of the base store cannot alter it.
    The store version digests the base's version and the new files.
    """
    import datetime as _dt
    import os
    import shutil

    validated = {name: validate_table(name, frame) for name, frame in changed.items()}
    validate_boundaries(CUSTOM_LAYER, custom_boundary, validated["areas"])

    def link(source: Path, target: Path) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    path.parent.mkdir(parents=True, exist_ok=True)
    with staged_directory(path) as staging:
        digests = {"base": base.version}
        tables = []
        for name in TABLE_SCHEMAS:
            file = staging / f"{name}.parquet"
            if name in validated:
                validated[name].to_parquet(file, index=False)
                digests[name] = file_digest(file)
            elif base.has_table(name):
                link(base.path / f"{name}.parquet", file)
            else:
                continue
            tables.append(name)
        (staging / "boundaries").mkdir()
        layers = base.boundary_layers()
        for layer in layers:
            link(base.path / "boundaries" / f"{layer}.parquet", staging / "boundaries" / f"{layer}.parquet")
        file = staging / "boundaries" / f"{CUSTOM_LAYER}.parquet"
        custom_boundary.to_parquet(file, index=False)
        digests[f"boundaries/{CUSTOM_LAYER}"] = file_digest(file)
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "store_version": hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()[:16],
            "source": base.source,
            "vintage": base.vintage,
            "attribution": base.attribution,
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "tables": sorted(tables),
            "boundary_layers": sorted([*layers, CUSTOM_LAYER]),
            **extra,
        }
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, default=str))


def _smallest_common_ancestor(store: Store, small_areas: list[str]) -> str | None:
    """The lowest area of the main hierarchy containing every one of the small areas, if any."""
    chains = [store.ancestors(code) for code in small_areas]
    if not chains:
        return None
    common = set(chains[0]).intersection(*map(set, chains[1:]))
    for code in chains[0]:  # nearest first
        if code in common:
            return code
    return None


def boundary_place(path, *, name: str | None = None, name_field: str | None = None, store) -> tuple[Path, Place]:
    """Read a user's boundary and return the derived store's path and the place, ready to run.

    Parameters
    ----------
    path : path-like
        GeoJSON or GeoPackage; see :func:`read_boundary`.
    name, name_field : str, optional
        See :func:`read_boundary`.
    store : Store or path-like
        The base store.

    Returns
    -------
    (Path, Place)

    Raises
    ------
    InvalidBoundary
        As :func:`read_boundary`; first, if the store has no small-area polygons, naming the file
        that brings them.
    """
    base = as_store(store)
    if "small_area" not in base.boundary_layers():
        raise InvalidBoundary(
            f"The boundary file {path} cannot be used with the store at {base.path}: an area of your own is "
            "built from the small areas whose centres fall inside it, and this store has no small-area polygons "
            f"(it has boundaries for {', '.join(base.boundary_layers()) or 'no layer'}). For real England they come "
            "from ONS's 'Lower Layer Super Output Areas (December 2011) Boundaries EW BGC' GeoJSON (LSOA11CD; "
            "e.g. the 296 files of ukdata's boundaries/england_by_lad/lsoa11_bgc/): put it in the downloads "
            "folder and run `place-diagnostic data import` again. The synthetic store has them."
        )
    boundary = read_boundary(path, name=name, name_field=name_field, store=base)
    for repair in boundary.attrs.get("repairs", []):
        warnings.warn(repair, stacklevel=2)
    return custom_place_store(boundary, base)
