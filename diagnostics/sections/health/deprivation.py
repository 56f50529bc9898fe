"""Health: the place's deprivation profile, MHCLG's summaries of the Indices of Deprivation.

Read from the store's ``deprivation_<domain>_<measure>`` indicators (a real store: computed at
import by :mod:`diagnostics.store.deprivation` from the IoD2019 small-area files), or computed here
from the small-area ``deprivation_score`` values of a store without them (the synthetic store).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.cache import TABLE, cached, per_store
from diagnostics.geography.lookups import place_small_areas
from diagnostics.store import deprivation as iod
from diagnostics.store.places import Place, resolve_place

__all__ = ["DEPRIVATION_DOMAINS", "deprivation_profile", "deprivation_profile_layers", "profiles_from_scores",
           "small_area_deciles", "national_ranks"]

#: The IMD, its seven domains and the two supplementary indices (IDACI, IDAOPI), in MHCLG's order.
DEPRIVATION_DOMAINS = ("imd", "income", "employment", "education", "health", "crime", "barriers", "living_environment",
                       "idaci", "idaopi")


def deprivation_profile(store, place: str | Place) -> pd.DataFrame:
    """The place's deprivation profile: MHCLG's summaries of the IMD and its domains.

    Read from the store's ``deprivation_<domain>_<measure>`` indicators (real stores: computed at
    import by :mod:`diagnostics.store.deprivation` from the IoD2019 small-area files). A store without
    them but with small-area ``deprivation_score`` values (the synthetic store) gets the IMD's
    summaries computed here by :func:`diagnostics.store.deprivation.area_summaries`: small areas ranked
    nationally by score (1 = most deprived; IoD ranks are ranks of scores), weighted by their
    latest populations, each small area in the area its lookup weight is largest for (best fit),
    areas ranked among the place's layer.

    Returns
    -------
    DataFrame
        One row per domain present, in :data:`DEPRIVATION_DOMAINS` order: domain, domain_name,
        average_rank, average_score, most_deprived_10pct (%), rank_of_average_rank,
        rank_of_average_score, rank_of_most_deprived_10pct (1 = most deprived), n_ranked (areas of
        the layer ranked), the same three ranks suffixed ``_iod2019`` (among the districts MHCLG
        ranked in 2019, for a district whose code is unchanged) and n_ranked_iod2019, period, source,
        vintage, computed_here (bool). Missing measures are NaN;
        empty when the store supports neither route.
    """
    place = resolve_place(place, store)
    ids = [iod.indicator_id(d, m) for d in DEPRIVATION_DOMAINS for m in iod.MEASURES]
    rows = store.indicator_values(ids, [place.code])
    computed_here = False
    if rows.empty:
        rows = _profile_from_scores(store, place)
        computed_here = True
        if rows.empty:
            return pd.DataFrame()
    rows = rows.sort_values("year").drop_duplicates("indicator_id", keep="last")
    records = []
    for domain in DEPRIVATION_DOMAINS:
        record = {"domain": domain, "domain_name": iod.DOMAIN_NAMES[domain]}
        found = False
        for measure in iod.MEASURES:
            hit = rows.loc[rows["indicator_id"] == iod.indicator_id(domain, measure)]
            record[measure] = float(hit["value"].iloc[0]) if not hit.empty else np.nan
            found = found or not hit.empty
            if not hit.empty:
                record.update(period=str(hit["period"].iloc[0]), source=hit["source"].iloc[0] if "source" in hit else store.source,
                              vintage=hit["vintage"].iloc[0] if "vintage" in hit else store.vintage)
                note = hit["note"].iloc[0] if "note" in hit else None
                key = "n_ranked" + (iod.AS_PUBLISHED if measure.endswith(iod.AS_PUBLISHED) else "")
                if measure.startswith("rank_of_") and isinstance(note, str):
                    digits = [int(w) for w in note.split() if w.isdigit()]
                    if digits:
                        record[key] = digits[0]
                elif measure.startswith("rank_of_") and "n_ranked" in hit:
                    record["n_ranked"] = int(hit["n_ranked"].iloc[0])
        if found:
            record["computed_here"] = computed_here
            records.append(record)
    out = pd.DataFrame.from_records(records)
    for column in ["n_ranked", "n_ranked" + iod.AS_PUBLISHED, "period", "source", "vintage"]:
        if column not in out.columns:
            out[column] = np.nan
    return out


def deprivation_profile_layers(store) -> list[str]:
    """The layers whose areas have a stored deprivation profile (IMD average rank), in store order."""
    codes = store.indicator_values(iod.indicator_id("imd", "average_rank"))["area_code"].unique()
    layers = {store.layer_of(code) for code in codes}
    return [layer for layer in store.layers if layer in layers]


def _profile_from_scores(store, place: Place) -> pd.DataFrame:
    """The place's rows of :func:`profiles_from_scores`."""
    rows = profiles_from_scores(store, place.layer)
    return rows.loc[rows["area_code"] == place.code] if not rows.empty else rows


def profiles_from_scores(store, layer: str) -> pd.DataFrame:
    """The IMD profile of every area of a layer from small-area deprivation scores, in the store's
    ``indicators`` layout (plus n_ranked); empty when impossible. A derived table of the store
    (cached per store version, on disk)."""
    if not store.has_table("population") or layer == "small_area":
        return pd.DataFrame()

    def compute() -> pd.DataFrame:
        small = set(store.areas_in_layer("small_area")["code"])
        scores = store.indicator_values("deprivation_score")
        scores = scores.loc[scores["area_code"].isin(small)]
        if scores.empty:
            return pd.DataFrame()
        scores = scores.sort_values("year").drop_duplicates("area_code", keep="last")
        lookups = store.lookups
        links = lookups.loc[lookups["layer"] == layer].sort_values("weight", ascending=False)
        links = links.drop_duplicates("small_area_code")
        if links.empty:
            return pd.DataFrame()
        pop = store.population
        weights = pop.loc[pop["year"] == pop["year"].max()].groupby("area_code")["population"].sum()
        scores = scores.loc[scores["area_code"].isin(set(weights.index[weights > 0]))]
        rank = scores["value"].rank(ascending=False, method="first")
        measures = pd.concat([
            pd.DataFrame({"small_area_code": scores["area_code"], "domain": "imd", "measure": "score", "value": scores["value"]}),
            pd.DataFrame({"small_area_code": scores["area_code"], "domain": "imd", "measure": "rank", "value": rank}),
        ], ignore_index=True)
        membership = links.loc[links["small_area_code"].isin(set(scores["area_code"])),
                               ["small_area_code", "layer", "area_code"]]
        summaries = iod.area_summaries(measures, weights, membership, n_national=len(scores))
        rows = iod.profile_indicators(summaries, period=str(int(scores["year"].max())),
                                              year=int(scores["year"].max()))
        rows["n_ranked"] = summaries["n_ranked"].to_numpy()
        rows["source"] = f"{store.source}: small-area deprivation scores, summarised here"
        rows["vintage"] = store.vintage
        return rows

    return cached(per_store(store, "deprivation_profile_from_scores", layer, disk=TABLE), compute)


def small_area_deciles(store, place: str | Place) -> pd.DataFrame:
    """The national IMD rank and decile of each small area of the place (1 = most deprived).

    A real store holds each LSOA's published IoD2019 rank (indicator
    :data:`diagnostics.store.deprivation.SMALL_AREA_RANK`, among England's 32,844 LSOAs); a store
    without it but with small-area ``deprivation_score`` values (the synthetic store) has its small
    areas ranked here by score across the whole store, highest score = rank 1. Deciles as MHCLG's
    (:func:`diagnostics.store.deprivation.national_deciles`).

    Returns
    -------
    DataFrame
        One row per small area linked to the place: code, rank, decile (1-10), weight (share of
        the small area's population in the place, 1 for a whole one), n_national (small areas
        ranked), period, source, ranked_here (bool). Empty when the store has neither.
    """
    place = resolve_place(place, store)
    national = national_ranks(store)
    if national.empty:
        return national
    if place.layer == "small_area":
        members = pd.Series([1.0], index=[place.code])
    else:
        members = place_small_areas(store, place)
    out = national.loc[national["code"].isin(set(members.index))].copy()
    out["weight"] = out["code"].map(members).astype(float)
    return out.reset_index(drop=True)


def national_ranks(store) -> pd.DataFrame:
    """Every small area's national IMD rank and decile (see :func:`small_area_deciles`): a derived
    table of the store (cached per store version, on disk)."""
    return cached(per_store(store, "small_area_imd_ranks", disk=TABLE), lambda: _national_ranks(store))


def _national_ranks(store) -> pd.DataFrame:
    columns = ["code", "rank", "decile", "n_national", "period", "source", "ranked_here"]
    small = set(store.areas_in_layer("small_area")["code"])
    rows = store.indicator_values(iod.SMALL_AREA_RANK)
    ranked_here = rows.empty
    if ranked_here:
        rows = store.indicator_values("deprivation_score")
    rows = rows.loc[rows["area_code"].isin(small) & rows["value"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.sort_values("year").drop_duplicates("area_code", keep="last")
    rank = rows["value"].rank(ascending=False, method="first") if ranked_here else rows["value"]
    source = (f"{store.source}: small-area deprivation scores, ranked here" if ranked_here else
              str(rows["source"].iloc[0]) if "source" in rows and isinstance(rows["source"].iloc[0], str) else store.source)
    # published IoD2019 ranks run over England's 32,844 LSOAs (a store may hold some of them only)
    n = len(rows) if ranked_here else max(iod.IOD2019_SMALL_AREAS, int(rank.max()))
    return pd.DataFrame({
        "code": rows["area_code"].to_numpy(), "rank": rank.to_numpy(dtype=int),
        "decile": iod.national_deciles(rank.to_numpy(), n), "n_national": n,
        "period": str(rows["period"].iloc[-1]), "source": source, "ranked_here": ranked_here,
    })
