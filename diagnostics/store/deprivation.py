"""The deprivation profile of larger areas, computed from small-area IoD scores and ranks as MHCLG
defines its local-authority summaries of the English Indices of Deprivation.

For the IMD and each of its seven domains, and each area made of small areas (LSOAs):

- **average rank**: the population-weighted mean of its LSOAs' ranks, the ranks first reversed so
  that the most deprived LSOA has the highest rank (N = 32,844 in 2019);
- **average score**: the population-weighted mean of its LSOAs' scores (when scores are given);
- **proportion of LSOAs in the most deprived 10% nationally**: the share of its LSOAs whose rank
  is within the most deprived tenth of all LSOAs (unweighted);
- each measure's **rank** among the areas of the same layer, 1 = most deprived (ties share the
  lowest rank).

The same total population weights every domain, as MHCLG does ("for simplicity in summarising
the domains, the same total population size is used for all domains"). Extent and local
concentration, MHCLG's other two summaries, need LSOA scores of every domain and are not computed.

References
----------
Ministry of Housing, Communities and Local Government (2019). *The English Indices of Deprivation
2019: Technical report*, section on summary measures for larger areas; and *Research report*,
Noble S., McLennan D., Noble M., Plunkett E., Gutacker N., Silk M., Wright G.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter

__all__ = ["DOMAIN_NAMES", "MEASURES", "area_summaries", "profile_indicators", "profile_catalogue"]

#: The IMD and its domains: id -> name for people.
DOMAIN_NAMES: dict[str, str] = {
    "imd": "Index of Multiple Deprivation",
    "income": "Income deprivation",
    "employment": "Employment deprivation",
    "education": "Education, skills and training deprivation",
    "health": "Health deprivation and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_environment": "Living environment deprivation",
}

#: The summary measures: id -> (name, unit, value_type, polarity, decimals, multiplier).
MEASURES: dict[str, tuple[str, str, str, str, int, float]] = {
    "average_rank": ("average rank", "rank (higher = more deprived)", "score", "lower_is_better", 0, 1.0),
    "average_score": ("average score", "score", "score", "lower_is_better", 2, 1.0),
    "most_deprived_10pct": ("small areas in the most deprived 10% nationally", "%", "proportion", "lower_is_better", 1, 100.0),
    "rank_of_average_rank": ("rank of average rank (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
    "rank_of_average_score": ("rank of average score (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
    "rank_of_most_deprived_10pct": ("rank of proportion in the most deprived 10% (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
}


def area_summaries(
    measures: pd.DataFrame,
    population: pd.Series,
    membership: pd.DataFrame,
    n_national: int | None = None,
) -> pd.DataFrame:
    """MHCLG's summary measures of deprivation for every area of every layer given.

    Parameters
    ----------
    measures : DataFrame
        small_area_code, domain (a key of :data:`DOMAIN_NAMES`), measure ("rank": 1 = most
        deprived; or "score": higher = more deprived), value. One row per small area, domain, measure.
    population : Series
        Total population of each small area (index: small_area_code), the weights; MHCLG uses the
        mid-2015 denominators of IoD2019 File 6.
    membership : DataFrame
        small_area_code, layer, area_code: which area of each layer each small area belongs to
        (best fit: one area per layer).
    n_national : int, optional
        The number of small areas nationally (32,844 for IoD2019); default the largest rank given.

    Returns
    -------
    DataFrame
        layer, area_code, domain, measure (a key of :data:`MEASURES`), value, n_small_areas,
        n_ranked (areas of the layer ranked). Proportions are fractions in [0, 1].

    Raises
    ------
    InvalidParameter
        If a small area with a rank or score has no population weight.
    """
    ranks = measures.loc[measures["measure"] == "rank"]
    scores = measures.loc[measures["measure"] == "score"]
    n = int(n_national or ranks["value"].max())
    weights = population.reindex(measures["small_area_code"].unique())
    if weights.isna().any():
        missing = weights.index[weights.isna()][:5].tolist()
        raise InvalidParameter(
            f"The 'population' parameter of area_summaries has no weight for small areas {missing}; "
            "every ranked small area needs its population."
        )
    frames = []
    for layer, members in membership.groupby("layer"):
        members = members[["small_area_code", "area_code"]]
        if not ranks.empty:
            r = ranks.merge(members, on="small_area_code")
            r["w"] = r["small_area_code"].map(population)
            r["reversed"] = n + 1 - r["value"]
            r["wx"] = r["reversed"] * r["w"]
            r["top10"] = r["value"] <= n / 10
            g = r.groupby(["area_code", "domain"])
            avg = (g["wx"].sum() / g["w"].sum()).rename("average_rank")
            share = g["top10"].mean().rename("most_deprived_10pct")
            count = g.size().rename("n_small_areas")
            frames.append(_long(layer, pd.concat([avg, share], axis=1), count))
        if not scores.empty:
            s = scores.merge(members, on="small_area_code")
            s["w"] = s["small_area_code"].map(population)
            s["wx"] = s["value"] * s["w"]
            g = s.groupby(["area_code", "domain"])
            avg = (g["wx"].sum() / g["w"].sum()).rename("average_score").to_frame()
            frames.append(_long(layer, avg, g.size().rename("n_small_areas")))
    if not frames:
        return pd.DataFrame(columns=["layer", "area_code", "domain", "measure", "value", "n_small_areas", "n_ranked"])
    out = pd.concat(frames, ignore_index=True)
    ranked = []
    for (_, _, measure), group in out.groupby(["layer", "domain", "measure"]):
        rank = group["value"].rank(ascending=False, method="min")  # 1 = most deprived
        ranked.append(group.assign(measure=f"rank_of_{measure}", value=rank.to_numpy()))
    out = pd.concat([out, *ranked], ignore_index=True)
    out["n_ranked"] = out.groupby(["layer", "domain", "measure"])["area_code"].transform("count")
    return out.sort_values(["layer", "area_code", "domain", "measure"]).reset_index(drop=True)


def _long(layer: str, wide: pd.DataFrame, count: pd.Series) -> pd.DataFrame:
    long = wide.reset_index().melt(id_vars=["area_code", "domain"], var_name="measure", value_name="value")
    long["n_small_areas"] = [count.get((a, d), np.nan) for a, d in zip(long["area_code"], long["domain"])]
    long["layer"] = layer
    return long


def indicator_id(domain: str, measure: str) -> str:
    """The store's indicator id of one summary: ``deprivation_<domain>_<measure>``."""
    return f"deprivation_{domain}_{measure}"


def profile_indicators(summaries: pd.DataFrame, period: str = "2019", year: int = 2019) -> pd.DataFrame:
    """The summaries as rows of the store's ``indicators`` table (proportions as %).

    Ranks carry a note saying among how many areas of the layer they rank.
    """
    rows = summaries.copy()
    multiplier = rows["measure"].map(lambda m: MEASURES[m][5])
    rows["value"] = rows["value"] * multiplier
    is_share = rows["measure"] == "most_deprived_10pct"
    numerator = (rows["value"] / 100 * rows["n_small_areas"]).round()
    is_rank = rows["measure"].str.startswith("rank_of_")
    note = np.where(
        is_rank,
        "rank among the " + rows["n_ranked"].astype(int).astype(str) + " areas of the layer (1 = most deprived)",
        "computed from " + rows["n_small_areas"].astype("Int64").astype(str) + " small areas (MHCLG summary method)",
    )
    return pd.DataFrame({
        "indicator_id": [indicator_id(d, m) for d, m in zip(rows["domain"], rows["measure"])],
        "area_code": rows["area_code"],
        "period": period,
        "year": year,
        "value": rows["value"],
        "numerator": numerator.where(is_share),
        "denominator": rows["n_small_areas"].where(is_share),
        "lower_ci": np.nan,
        "upper_ci": np.nan,
        "confidence": np.nan,
        "note": note,
    })


def profile_catalogue(domains=None, measures=None) -> pd.DataFrame:
    """Catalogue rows (contract columns less source and vintage) for the deprivation profile."""
    rows = []
    for domain in domains or DOMAIN_NAMES:
        for measure in measures or MEASURES:
            label, unit, value_type, polarity, decimals, multiplier = MEASURES[measure]
            name = f"{DOMAIN_NAMES[domain]}: {label}"
            rows.append({
                "indicator_id": indicator_id(domain, measure),
                "name": name,
                "short_name": f"{DOMAIN_NAMES[domain].split(',')[0].replace(' deprivation', '')} {label.split(' (')[0]}",
                "domain": "deprivation",
                "unit": unit,
                "value_type": value_type,
                "multiplier": multiplier,
                "polarity": polarity,
                "decimals": decimals,
                "description": f"{name}, English Indices of Deprivation 2019, for the area's small areas (LSOA 2011, best fit).",
                "method": (
                    "Computed: MHCLG's local-authority summary method (population-weighted mean of reversed "
                    "LSOA ranks or of scores with IoD2019 File 6 mid-2015 populations; unweighted share of LSOAs "
                    "ranked in the most deprived 10% nationally; areas ranked within their layer, 1 = most deprived)."
                ),
            })
    return pd.DataFrame(rows)
