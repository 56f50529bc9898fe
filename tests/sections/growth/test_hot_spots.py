"""Where growth firms are (diagnostics.sections.growth.hot_spots): Getis-Ord Gi* on a planted hot spot,
the kernel density's mass, and grid clusters."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from diagnostics.exceptions import InvalidParameter
from diagnostics.sections.growth.hot_spots import getis_ord_hot_spots, grid_clusters, kernel_density


def _grid(values: np.ndarray) -> gpd.GeoDataFrame:
    n = values.shape[0]
    cells = [box(i * 1000, j * 1000, (i + 1) * 1000, (j + 1) * 1000) for j in range(n) for i in range(n)]
    return gpd.GeoDataFrame({"code": [f"c{j}_{i}" for j in range(n) for i in range(n)], "value": values.ravel()},
                            geometry=cells, crs=27700)


def test_getis_ord_finds_a_planted_hot_spot_and_is_reproducible():
    rng = np.random.default_rng(7)
    values = rng.poisson(1.0, (12, 12)).astype(float)
    values[4:7, 4:7] = rng.poisson(9.0, (3, 3))
    spots = getis_ord_hot_spots(_grid(values), "value").set_index("code")
    assert spots.loc["c5_5", "spot"] == "hot" and spots.loc["c5_5", "gi_z"] > 3
    planted = [f"c{j}_{i}" for j in range(4, 7) for i in range(4, 7)]
    assert (spots.loc[planted, "spot"] == "hot").sum() >= 7
    far = [c for c in spots.index if int(c[1:].split("_")[0]) in (0, 11) or int(c.split("_")[1]) in (0, 11)]
    assert (spots.loc[far, "spot"] == "hot").sum() <= 2
    again = getis_ord_hot_spots(_grid(values), "value").set_index("code")
    assert again["p_value"].equals(spots["p_value"])


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [(np.ones((2, 2)), {}, r"The 'areas' parameter of getis_ord_hot_spots must have at least 5 areas to test; got 4"),
     (np.ones((3, 3)), {"permutations": 10}, r"The 'permutations' parameter of getis_ord_hot_spots must be an integer of at least 99; got 10"),
     (np.ones((3, 3)), {"alpha": 5}, r"The 'alpha' parameter of getis_ord_hot_spots must be a float in \(0, 1\); got 5"),
     (np.ones((3, 3)), {"column": "rate"}, r"The 'areas' parameter of getis_ord_hot_spots has no column 'rate'")],
)
def test_getis_ord_names_a_bad_parameter(values, kwargs, message):
    column = kwargs.pop("column", "value")
    with pytest.raises(InvalidParameter, match=message):
        getis_ord_hot_spots(_grid(values), column, **kwargs)


def test_kernel_density_keeps_each_points_mass_in_points_per_square_kilometre():
    grid = kernel_density([3000.0, 7000.0], [5000.0, 5000.0], (0, 0, 10_000, 10_000), cell_m=100, bandwidth_m=500)
    mass = grid["density"] * (grid["cell_m"] / 1000) ** 2
    assert float(mass.sum()) == pytest.approx(2.0, abs=1e-3)
    peak = grid.loc[grid["density"].idxmax()]
    assert min(abs(peak["x"] - 3000), abs(peak["x"] - 7000)) < 100 and abs(peak["y"] - 5000) < 100


def test_grid_clusters_group_points_by_square_with_their_labels():
    clusters = grid_clusters([100, 900, 1500, 1600], [100, 200, 100, 300], ["a", "b", "c", "d"], cell_m=1000)
    assert clusters["count"].tolist() == [2, 2]
    assert clusters["labels"].tolist() == ["a; b", "c; d"]
    assert clusters["x"].tolist() == [500.0, 1550.0]
