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

Each domain is weighted by the population its indicators count (:data:`DOMAIN_WEIGHTS`), as in
MHCLG's local-authority summaries: the working-age population (women 18-59, men 18-64) for the
employment domain, children aged 0-15 for IDACI, people aged 60 and over for IDAOPI, the total
population for the IMD and every other domain (IoD2019 File 6, mid-2015, excluding prisoners).
Weighting the employment domain by the total population, as this module once did, moved
Manchester's average rank from MHCLG's 20,752.92 to 22,273.47. Extent and local concentration,
MHCLG's other two summaries, and the income and employment "scales" need LSOA scores and
numerators of every domain and are not computed.

MHCLG ranked the 317 districts of 2019; districts have merged since. :func:`ranks_among_published_districts`
gives each district whose code is unchanged its rank among those 317, beside its rank among today's
districts.

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

__all__ = [
    "DOMAIN_NAMES", "DOMAIN_WEIGHTS", "MEASURES", "AS_PUBLISHED", "area_summaries", "ranks_among_published_districts",
    "profile_indicators", "profile_catalogue", "agreement_with_published", "SMALL_AREA_RANK", "IOD2019_SMALL_AREAS", "national_deciles",
    "small_area_rank_indicators",
]

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
    "idaci": "Income deprivation affecting children (IDACI)",
    "idaopi": "Income deprivation affecting older people (IDAOPI)",
}

#: The population (an IoD2019 File 6 column) weighting each domain's averages; other domains: ``total``.
DOMAIN_WEIGHTS: dict[str, str] = {"employment": "working_age", "idaci": "aged_0_15", "idaopi": "aged_60_plus"}

#: Suffix of the measures ranking a district among the districts MHCLG ranked in 2019.
AS_PUBLISHED = "_iod2019"

#: The summary measures: id -> (name, unit, value_type, polarity, decimals, multiplier).
MEASURES: dict[str, tuple[str, str, str, str, int, float]] = {
    "average_rank": ("average rank", "rank (higher = more deprived)", "score", "lower_is_better", 0, 1.0),
    "average_score": ("average score", "score", "score", "lower_is_better", 2, 1.0),
    "most_deprived_10pct": ("small areas in the most deprived 10% nationally", "%", "proportion", "lower_is_better", 1, 100.0),
    "rank_of_average_rank": ("rank of average rank (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
    "rank_of_average_score": ("rank of average score (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
    "rank_of_most_deprived_10pct": ("rank of proportion in the most deprived 10% (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
    "rank_of_average_rank" + AS_PUBLISHED: ("rank of average rank among the districts of 2019 (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
    "rank_of_average_score" + AS_PUBLISHED: ("rank of average score among the districts of 2019 (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
    "rank_of_most_deprived_10pct" + AS_PUBLISHED: ("rank of proportion in the most deprived 10% among the districts of 2019 (1 = most deprived)", "rank", "score", "higher_is_better", 0, 1.0),
}


def area_summaries(
    measures: pd.DataFrame,
    population: pd.Series | pd.DataFrame,
    membership: pd.DataFrame,
    n_national: int | None = None,
) -> pd.DataFrame:
    """MHCLG's summary measures of deprivation for every area of every layer given.

    Parameters
    ----------
    measures : DataFrame
        small_area_code, domain (a key of :data:`DOMAIN_NAMES`), measure ("rank": 1 = most
        deprived; or "score": higher = more deprived), value. One row per small area, domain, measure.
    population : Series or DataFrame
        The weights, indexed by small_area_code. A Series weights every domain alike; a DataFrame
        holds IoD2019 File 6's populations as columns (``total``, ``working_age``, ``aged_0_15``,
        ``aged_60_plus``: counts of people, mid-2015) and each domain takes the column
        :data:`DOMAIN_WEIGHTS` names (``total`` for the rest), as MHCLG does.
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
        If a small area with a rank or score has no population weight, or the population table
        lacks a column a domain needs.

    Notes
    -----
    For an area A with small areas i of population weight :math:`w_i`, national rank :math:`r_i`
    (1 = most deprived of N) and score :math:`s_i`:

    .. math:: \\text{average rank}_A = \\frac{\\sum_i w_i (N + 1 - r_i)}{\\sum_i w_i}, \\qquad
              \\text{average score}_A = \\frac{\\sum_i w_i s_i}{\\sum_i w_i}

    and the share in the most deprived 10% is :math:`\\#\\{i : r_i \\le N/10\\} / \\#\\{i\\}` (unweighted).
    """
    ranks = measures.loc[measures["measure"] == "rank"]
    scores = measures.loc[measures["measure"] == "score"]
    n = int(n_national or ranks["value"].max())
    weights = _weights_by_domain(measures, population)
    frames = []
    for layer, members in membership.groupby("layer"):
        members = members[["small_area_code", "area_code"]]
        if not ranks.empty:
            r = ranks.merge(members, on="small_area_code").merge(weights, on=["small_area_code", "domain"])
            r["reversed"] = n + 1 - r["value"]
            r["wx"] = r["reversed"] * r["w"]
            r["top10"] = r["value"] <= n / 10
            g = r.groupby(["area_code", "domain"])
            avg = (g["wx"].sum() / g["w"].sum()).rename("average_rank")
            share = g["top10"].mean().rename("most_deprived_10pct")
            count = g.size().rename("n_small_areas")
            frames.append(_long(layer, pd.concat([avg, share], axis=1), count))
        if not scores.empty:
            s = scores.merge(members, on="small_area_code").merge(weights, on=["small_area_code", "domain"])
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


def _weights_by_domain(measures: pd.DataFrame, population: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """small_area_code, domain, w: each small area's weight for each domain it has a measure of."""
    frames = []
    for domain, codes in measures.groupby("domain")["small_area_code"]:
        if isinstance(population, pd.DataFrame):
            column = DOMAIN_WEIGHTS.get(domain, "total")
            if column not in population.columns:
                raise InvalidParameter(
                    f"The 'population' parameter of area_summaries needs a column {column!r} to weight the {domain} "
                    f"domain; got columns {list(population.columns)}. Pass IoD2019 File 6's populations."
                )
            series = population[column]
        else:
            series = population
        w = series.reindex(codes.unique())
        if w.isna().any():
            missing = w.index[w.isna()][:5].tolist()
            raise InvalidParameter(
                f"The 'population' parameter of area_summaries has no weight for small areas {missing}; "
                "every ranked small area needs its population."
            )
        frames.append(pd.DataFrame({"small_area_code": w.index, "domain": domain, "w": w.to_numpy(dtype=float)}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["small_area_code", "domain", "w"])


def ranks_among_published_districts(
    measures: pd.DataFrame,
    population: pd.Series | pd.DataFrame,
    current_codes,
    n_national: int | None = None,
) -> pd.DataFrame:
    """Each district's ranks among the districts MHCLG ranked (317 for IoD2019), where its code is unchanged.

    Parameters
    ----------
    measures : DataFrame
        As for :func:`area_summaries`, with ``district_code_2019``: the district each small area was
        in when the indices were published.
    population : Series or DataFrame
        As for :func:`area_summaries`.
    current_codes : iterable of str
        Today's district codes: a district of 2019 whose code is among them has the same small
        areas (a boundary change gives a new code), so its published rank applies to it.

    Returns
    -------
    DataFrame
        As :func:`area_summaries` (layer ``district``), the rank measures only, each named with the
        suffix :data:`AS_PUBLISHED`; n_ranked is the number of districts of 2019.
    """
    members = measures[["small_area_code", "district_code_2019"]].drop_duplicates("small_area_code")
    membership = pd.DataFrame({"small_area_code": members["small_area_code"], "layer": "district",
                               "area_code": members["district_code_2019"]})
    summaries = area_summaries(measures, population, membership, n_national)
    keep = summaries["measure"].str.startswith("rank_of_") & summaries["area_code"].isin(set(current_codes))
    return summaries.loc[keep].assign(measure=lambda d: d["measure"] + AS_PUBLISHED).reset_index(drop=True)


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
    as_published = rows["measure"].str.endswith(AS_PUBLISHED)
    n_ranked = rows["n_ranked"].astype(int).astype(str)
    note = np.select(
        [as_published, is_rank],
        ["rank among the " + n_ranked + " districts MHCLG ranked in 2019, the district's code unchanged since (1 = most deprived)",
         "rank among the " + n_ranked + " areas of the layer (1 = most deprived)"],
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


_WEIGHT_WORDS = {
    "employment": "working-age population (women 18-59, men 18-64)",
    "idaci": "children aged 0-15",
    "idaopi": "people aged 60 and over",
}


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
                    "LSOA ranks or of scores with IoD2019 File 6 mid-2015 populations: "
                    f"{_WEIGHT_WORDS.get(domain, 'total population')}; unweighted share of LSOAs "
                    "ranked in the most deprived 10% nationally; areas ranked within their layer, 1 = most deprived)."
                ),
            })
    return pd.DataFrame(rows)


def agreement_with_published(ours: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """How far summaries computed here are from MHCLG's published ones, district by district.

    Parameters
    ----------
    ours : DataFrame
        area_code, domain, measure, value as :func:`area_summaries` returns them (shares as fractions)
        for districts, with the ranks among the districts of 2019 (:func:`ranks_among_published_districts`).
    published : DataFrame
        district_code_2019, domain, measure, value (IoD2019 File 10, read by
        :func:`diagnostics.sources.england.iod.read_iod_district_summaries`).

    Returns
    -------
    DataFrame
        One row per district, domain and measure both give: area_code, domain, measure, ours,
        published, difference (ours - published). Published ranks are compared with the ranks among
        the districts of 2019, so only districts whose code is unchanged are compared.
    """
    mine = ours.copy()
    is_published_rank = mine["measure"].str.endswith(AS_PUBLISHED)
    mine = mine.loc[is_published_rank | ~mine["measure"].str.startswith("rank_of_")]
    mine["measure"] = mine["measure"].str.removesuffix(AS_PUBLISHED)
    theirs = published.rename(columns={"district_code_2019": "area_code", "value": "published"})
    out = mine.rename(columns={"value": "ours"})[["area_code", "domain", "measure", "ours"]].merge(
        theirs[["area_code", "domain", "measure", "published"]], on=["area_code", "domain", "measure"])
    out["difference"] = out["ours"] - out["published"]
    return out.sort_values(["domain", "measure", "area_code"]).reset_index(drop=True)


#: The store's indicator of each small area's (LSOA 2011) national IMD rank, 1 = most deprived.
SMALL_AREA_RANK = "deprivation_imd_small_area_rank"

#: The number of small areas (LSOA 2011) the IoD2019 ranks: its ranks run from 1 to this.
IOD2019_SMALL_AREAS = 32_844


def national_deciles(ranks, n_national: int) -> np.ndarray:
    """National deciles of small areas from their ranks, as MHCLG assigns them: decile 1 holds the most
    deprived tenth (ranks 1 to 3,284 of 32,844), decile ``ceil(10 * rank / n_national)``.

    Checked against IoD2019 File 1's published deciles (all 32,844 LSOAs agree).
    """
    ranks = np.asarray(ranks, dtype=float)
    if n_national < 1 or (ranks < 1).any() or (ranks > n_national).any():
        raise InvalidParameter(f"ranks must lie between 1 and the number of ranked small areas ({n_national})")
    return np.ceil(ranks * 10 / n_national).astype(int)


def small_area_rank_indicators(measures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each small area's IMD rank as rows of the store's ``indicators`` table, and its catalogue row.

    Parameters
    ----------
    measures : DataFrame
        small_area_code, domain, measure, value (IoD2019 Files 1/2, long form).

    Returns
    -------
    rows, catalogue : DataFrame, DataFrame
        Indicator :data:`SMALL_AREA_RANK` per small area (period 2019; the note says among how many
        small areas it ranks), and its catalogue row (contract columns less source and vintage).
        Both empty when the measures hold no IMD rank.
    """
    ranks = measures.loc[(measures["domain"] == "imd") & (measures["measure"] == "rank")]
    ranks = ranks.drop_duplicates("small_area_code")
    if ranks.empty:
        return pd.DataFrame(), pd.DataFrame()
    n = max(IOD2019_SMALL_AREAS, int(ranks["value"].max()))
    rows = pd.DataFrame({
        "indicator_id": SMALL_AREA_RANK, "area_code": ranks["small_area_code"].to_numpy(), "period": "2019",
        "year": 2019, "value": ranks["value"].to_numpy(dtype=float), "numerator": np.nan, "denominator": np.nan,
        "lower_ci": np.nan, "upper_ci": np.nan, "confidence": np.nan,
        "note": f"rank among the {n} small areas (LSOA 2011) of England (1 = most deprived)",
    })
    catalogue = pd.DataFrame([{
        "indicator_id": SMALL_AREA_RANK, "name": "Index of Multiple Deprivation: national rank of the small area",
        "short_name": "IMD rank (small area)", "domain": "deprivation", "unit": "rank (1 = most deprived)",
        "value_type": "score", "multiplier": 1.0, "polarity": "higher_is_better", "decimals": 0,
        "description": "The small area's (LSOA 2011) rank on the IMD 2019 among England's LSOAs, 1 = most deprived.",
        "method": "Published: MHCLG English Indices of Deprivation 2019, File 1 (or File 2), as imported.",
    }])
    return rows, catalogue
