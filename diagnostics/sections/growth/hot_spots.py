"""Where growth firms are: Getis-Ord Gi* hot spots of area rates, a kernel density of firm locations,
and firms grouped on a grid for a map's markers.

Plain functions of coordinates in metres (EPSG:27700) and of areas with values; the growth section's
map and hot-spot table draw them (:mod:`~diagnostics.sections.growth.maps`,
:mod:`~diagnostics.sections.growth.tables`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter

__all__ = ["getis_ord_hot_spots", "kernel_density", "grid_clusters"]


def getis_ord_hot_spots(
    areas,
    column: str,
    *,
    permutations: int = 999,
    seed: int = 12345,
    alpha: float = 0.05,
):
    """Hot and cold spots of a count or rate across polygons by the local Getis-Ord Gi* statistic.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Polygons (any projected CRS) with ``code`` and ``column``.
    column : str
        The value tested (e.g. growth firms per small area).
    permutations : int, default 999
        Conditional random permutations for the pseudo p-value.
    seed : int, default 12345
        Fixes the permutations, so the result is reproducible.
    alpha : float, default 0.05
        Significance level of the pseudo p-value.

    Returns
    -------
    DataFrame
        code, value, gi_z (standardised Gi*), p_value (pseudo p-value from the permutations, one
        sided, in the direction of the observed statistic), spot ("hot", "cold" or "not
        significant").

    Notes
    -----
    With binary queen-contiguity weights :math:`w_{ij}` including :math:`w_{ii} = 1`,

    .. math:: G_i^* = \\frac{\\sum_j w_{ij} x_j}{\\sum_j x_j}

    standardised against its expectation under randomisation. A hot spot is an area whose
    neighbourhood sum is significantly high (:math:`z > 0`, :math:`p < \\alpha`); no correction for
    the many areas tested is made, so about :math:`\\alpha` of the areas of a random pattern would be
    flagged, and a hot spot is evidence to look at, not proof.

    References
    ----------
    Ord JK, Getis A. Local spatial autocorrelation statistics: distributional issues and an
    application. Geographical Analysis 1995;27(4):286-306. doi:10.1111/j.1538-4632.1995.tb00912.x
    """
    import esda  # heavy (libpysal, scikit-learn): loaded only when hot spots are tested
    from libpysal.weights import Queen

    if not isinstance(permutations, int) or isinstance(permutations, bool) or permutations < 99:
        raise InvalidParameter(
            f"The 'permutations' parameter of getis_ord_hot_spots must be an integer of at least 99; got {permutations!r}.")
    if not (isinstance(alpha, float) and 0 < alpha < 1):
        raise InvalidParameter(f"The 'alpha' parameter of getis_ord_hot_spots must be a float in (0, 1); got {alpha!r}.")
    if column not in getattr(areas, "columns", ()):
        raise InvalidParameter(f"The 'areas' parameter of getis_ord_hot_spots has no column {column!r}.")
    if len(areas) < 5:
        raise InvalidParameter(
            f"The 'areas' parameter of getis_ord_hot_spots must have at least 5 areas to test; got {len(areas)}.")
    frame = areas.reset_index(drop=True)
    values = frame[column].to_numpy(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands: Gi* still compares them with themselves
        weights = Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
        g = esda.G_Local(values, weights, transform="B", permutations=permutations, star=True,
                         seed=seed, n_jobs=1, keep_simulations=False)
    z = np.asarray(g.Zs, float)
    p = np.asarray(g.p_sim, float)
    spot = np.where(p < alpha, np.where(z > 0, "hot", "cold"), "not significant")
    return pd.DataFrame({"code": frame["code"].to_numpy(), "value": values, "gi_z": z, "p_value": p, "spot": spot})


def kernel_density(x, y, bounds, *, cell_m: float = 250.0, bandwidth_m: float = 750.0, max_cells: int = 250_000):
    r"""A Gaussian kernel density surface of points on a square grid (binned estimate).

    Parameters
    ----------
    x, y : array-like of float
        Point coordinates in metres (EPSG:27700).
    bounds : (minx, miny, maxx, maxy)
        The area to cover, in metres.
    cell_m : float, default 250
        Grid cell side in metres (enlarged when the grid would exceed ``max_cells``).
    bandwidth_m : float, default 750
        The kernel's standard deviation in metres.

    Returns
    -------
    DataFrame
        x, y (cell centre, metres), cell_m, density (points per square kilometre).

    Notes
    -----
    :math:`\hat f(s) = \sum_i \frac{1}{2\pi h^2} \exp\left(-\frac{\lVert s - s_i \rVert^2}{2h^2}\right)`,
    times :math:`10^6` for points per km², computed by binning the points on the grid and smoothing
    the counts with a Gaussian filter of :math:`h / \text{cell}` cells (the usual binned
    approximation: exact up to the cell size; mass beyond the bounds is lost).

    Examples
    --------
    >>> grid = kernel_density([5000.0], [5000.0], (0, 0, 10000, 10000), cell_m=100, bandwidth_m=500)
    >>> round(float((grid["density"] * (grid["cell_m"] / 1000) ** 2).sum()), 3)
    1.0
    """
    from scipy.ndimage import gaussian_filter

    x, y = np.asarray(x, float), np.asarray(y, float)
    minx, miny, maxx, maxy = (float(b) for b in bounds)
    cell = float(cell_m)
    while math.ceil((maxx - minx) / cell) * math.ceil((maxy - miny) / cell) > max_cells:
        cell *= 1.5
    nx, ny = max(1, math.ceil((maxx - minx) / cell)), max(1, math.ceil((maxy - miny) / cell))
    counts, _, _ = np.histogram2d(y, x, bins=(ny, nx), range=((miny, miny + ny * cell), (minx, minx + nx * cell)))
    smooth = gaussian_filter(counts, sigma=float(bandwidth_m) / cell, mode="constant", truncate=4.0)
    density = smooth / (cell / 1000.0) ** 2
    gx = minx + cell * (np.arange(nx) + 0.5)
    gy = miny + cell * (np.arange(ny) + 0.5)
    cx, cy = np.meshgrid(gx, gy)
    return pd.DataFrame({"x": cx.ravel(), "y": cy.ravel(), "cell_m": cell, "density": density.ravel()})


def grid_clusters(x, y, labels, *, cell_m: float = 1000.0) -> pd.DataFrame:
    """Group points into square grid cells: a static stand-in for map marker clustering.

    Returns
    -------
    DataFrame
        x, y (mean position of the cell's points, metres), count, labels (the points' labels,
        joined by '; ', at most 12).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    frame = pd.DataFrame({"i": np.floor(x / cell_m), "j": np.floor(y / cell_m), "x": x, "y": y,
                          "label": pd.Series(labels, dtype=object).to_numpy()})
    grouped = frame.groupby(["i", "j"], sort=True)
    out = grouped.agg(x=("x", "mean"), y=("y", "mean"), count=("x", "size"),
                      labels=("label", lambda s: "; ".join(map(str, list(s)[:12])) + (" ..." if len(s) > 12 else "")))
    return out.reset_index(drop=True)
