"""Graph tools for the synthetic geography: adjacency of small areas and contiguous grouping.

Every layer of the synthetic country is a grouping of whole small areas, grown over the graph of
their shared borders so that each group is contiguous.
"""

from __future__ import annotations

import heapq

import numpy as np
import shapely
from scipy.sparse import coo_matrix, csr_matrix
from scipy.spatial import Delaunay

__all__ = ["small_area_adjacency", "group_adjacency", "grow_groups", "spread_seeds"]


def small_area_adjacency(points: np.ndarray, cells: np.ndarray) -> csr_matrix:
    """Which small areas share a border: Delaunay neighbours whose clipped cells still touch.

    Parameters
    ----------
    points : ndarray of shape (n, 2)
        The Voronoi generators (metres).
    cells : ndarray of shapely Polygons, length n
        Each point's Voronoi cell clipped to the country.

    Returns
    -------
    scipy.sparse.csr_matrix
        Symmetric boolean adjacency, n x n.
    """
    tri = Delaunay(points)
    simplices = tri.simplices
    edges = np.concatenate([simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]])
    edges = np.unique(np.sort(edges, axis=1), axis=0)
    # A Delaunay edge can cross a bay of the coastline once cells are clipped: keep touching pairs.
    touching = shapely.intersects(cells[edges[:, 0]], cells[edges[:, 1]])
    edges = edges[touching]
    n = len(points)
    data = np.ones(2 * len(edges), dtype=bool)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    return coo_matrix((data, (rows, cols)), shape=(n, n)).tocsr()


def group_adjacency(adjacency: csr_matrix, labels: np.ndarray, n_groups: int) -> csr_matrix:
    """Adjacency between groups of units (two groups touch if any of their units do)."""
    a = adjacency.tocoo()
    gi, gj = labels[a.row], labels[a.col]
    keep = gi != gj
    data = np.ones(int(keep.sum()), dtype=bool)
    return coo_matrix((data, (gi[keep], gj[keep])), shape=(n_groups, n_groups)).tocsr()


def spread_seeds(xy: np.ndarray, k: int, rng: np.random.Generator, weights: np.ndarray | None = None) -> np.ndarray:
    """Pick ``k`` well-spread units as seeds (k-means++ seeding on coordinates).

    Parameters
    ----------
    xy : ndarray of shape (n, 2)
        Unit coordinates (metres).
    k : int
        Number of seeds (at most n).
    rng : numpy.random.Generator
    weights : ndarray, optional
        Relative chance of each unit being picked (population, say).

    Returns
    -------
    ndarray of int
        Indices of the seeds, in the order picked.
    """
    n = len(xy)
    k = min(k, n)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    first = rng.choice(n, p=w / w.sum())
    chosen = [first]
    d2 = ((xy - xy[first]) ** 2).sum(axis=1)
    for _ in range(1, k):
        p = d2 * w
        total = p.sum()
        nxt = rng.choice(n, p=p / total) if total > 0 else rng.choice(n)
        chosen.append(nxt)
        d2 = np.minimum(d2, ((xy - xy[nxt]) ** 2).sum(axis=1))
    return np.asarray(chosen, dtype=np.int64)


def grow_groups(
    adjacency: csr_matrix,
    seeds: np.ndarray,
    weights: np.ndarray,
    targets: np.ndarray | None = None,
    members: np.ndarray | None = None,
    xy: np.ndarray | None = None,
) -> np.ndarray:
    """Partition units into contiguous groups grown from seeds, the smallest group growing first.

    Parameters
    ----------
    adjacency : scipy.sparse.csr_matrix
        Unit adjacency (n x n).
    seeds : ndarray of int
        One seed unit per group.
    weights : ndarray of float, length n
        Each unit's size (residents, or 1 to count units).
    targets : ndarray of float, optional
        Relative target size of each group (default equal).
    members : ndarray of int, optional
        The units to partition (default all); growth never leaves them.
    xy : ndarray of shape (n, 2), optional
        Coordinates, used to attach units no seed can reach to the nearest group.

    Returns
    -------
    ndarray of int, length n
        The group of each unit (0 .. len(seeds)-1), -1 for units outside ``members``.

    Notes
    -----
    A best-first flood fill: a heap holds candidate (group, unit) links keyed by the group's size
    relative to its target when the link was found; the unit goes to the first group that pops it.
    Groups are contiguous wherever the members form a connected graph.
    """
    n = adjacency.shape[0]
    allowed = np.zeros(n, dtype=bool)
    allowed[np.arange(n) if members is None else members] = True
    targets = np.ones(len(seeds)) if targets is None else np.asarray(targets, dtype=float)
    label = np.full(n, -1, dtype=np.int64)
    size = np.zeros(len(seeds))
    indptr, indices = adjacency.indptr, adjacency.indices
    heap: list[tuple[float, int, int]] = []
    for g, s in enumerate(seeds):
        label[s] = g
        size[g] = weights[s]
    for g, s in enumerate(seeds):
        for u in indices[indptr[s] : indptr[s + 1]]:
            if allowed[u] and label[u] < 0:
                heap.append((size[g] / targets[g], int(u), g))
    heapq.heapify(heap)
    while heap:
        _, u, g = heapq.heappop(heap)
        if label[u] >= 0:
            continue
        label[u] = g
        size[g] += weights[u]
        key = size[g] / targets[g]
        for v in indices[indptr[u] : indptr[u + 1]]:
            if allowed[v] and label[v] < 0:
                heapq.heappush(heap, (key, int(v), g))
    orphans = np.flatnonzero(allowed & (label < 0))
    if len(orphans):
        placed = np.flatnonzero(allowed & (label >= 0))
        if xy is None or not len(placed):
            label[orphans] = 0
        else:
            from scipy.spatial import cKDTree

            _, nearest = cKDTree(xy[placed]).query(xy[orphans])
            label[orphans] = label[placed[nearest]]
    return label
