"""The synthetic country's firm register: who, what, where, and employment and turnover by year.

A stock of firms in the first year (ages drawn from the survival curve), births every year at the
districts' birth rates, deaths by an age-dependent hazard scaled to the districts' death rates.
Employment is heavy-tailed (most firms micro); a few firms have a three-year growth episode whose
chance depends on age, size, sector, the deprivation and density of the location, and a handful of
urban "growth cluster" neighbourhoods, so that OECD-Eurostat high-growth firms (10+ employees, over
20% a year for three years) make up a few per cent of firms with 10+ employees. Everything is
vectorised; histories are simulated in fixed-size chunks of firms to bound memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from scipy.special import expit

from diagnostics.conventions import SIC_SECTIONS
from diagnostics.sources.synthetic import calibration_economy as cal
from diagnostics.sources.synthetic.economy import business_rates, district_residents
from diagnostics.sources.synthetic.model import SOURCE, VINTAGE, SyntheticGeography

__all__ = ["build_firms", "SIC_CODES"]

#: Realistic SIC 2007 five-digit subclasses per section (drawn uniformly within a section).
SIC_CODES: dict[str, tuple[str, ...]] = {
    "A": ("01110", "01410", "01450", "01500", "01610", "02100"),
    "B": ("06100", "08110", "08120", "09100"),
    "C": ("10710", "11050", "16100", "18129", "20590", "21200", "22290", "25110", "25620", "26110",
          "28290", "29320", "32500", "33120"),
    "D": ("35110", "35140", "35220"),
    "E": ("36000", "37000", "38110", "38320", "39000"),
    "F": ("41100", "41201", "41202", "42990", "43210", "43220", "43341", "43390", "43999"),
    "G": ("45111", "45200", "46390", "46900", "47110", "47190", "47240", "47710", "47730", "47910"),
    "H": ("49320", "49410", "52103", "52290", "53202"),
    "I": ("55100", "56101", "56102", "56103", "56210", "56302"),
    "J": ("58210", "59111", "61900", "62012", "62020", "62090", "63110", "63120"),
    "K": ("64191", "64209", "64999", "66190", "66220", "66300"),
    "L": ("68100", "68209", "68310", "68320"),
    "M": ("69102", "69201", "70229", "71111", "71129", "72190", "73110", "74100", "74909", "75000"),
    "N": ("77110", "78109", "78200", "80100", "81210", "81300", "82990"),
    "O": ("84110", "84240"),
    "P": ("85100", "85200", "85310", "85590", "85600"),
    "Q": ("86101", "86210", "86230", "86900", "87100", "88100", "88990"),
    "R": ("90030", "91020", "93110", "93130", "93290"),
    "S": ("94990", "95110", "96020", "96040", "96090"),
    "T": ("97000", "98100"),
    "U": ("99000",),
}
_STEMS = np.array([
    "Ashcombe", "Brackley", "Caddington", "Dunmore", "Elmsworth", "Fernleigh", "Greystoke", "Harwood",
    "Ivybridge", "Kestrel", "Langford", "Marlow", "Northcote", "Oakhurst", "Penrose", "Quarry Hill",
    "Redmire", "Sedgwick", "Thornbury", "Upton", "Wexcombe", "Yarrow", "Alder", "Beacon", "Copperfield",
    "Dovecote", "Eastgate", "Foxley", "Goldcrest", "Holloway", "Juniper", "Kingsmead", "Linden",
    "Meridian", "Nightingale", "Orchard", "Pennine", "Riverside", "Saxon", "Tamar", "Vale", "Westbrook",
])
_SECTOR_WORDS = {
    "A": ("Farms", "Agriculture", "Growers"), "B": ("Aggregates", "Minerals"),
    "C": ("Precision", "Engineering", "Manufacturing", "Components"), "D": ("Energy", "Power"),
    "E": ("Recycling", "Water Services"), "F": ("Construction", "Builders", "Roofing"),
    "G": ("Trading", "Retail", "Supplies"), "H": ("Logistics", "Haulage", "Freight"),
    "I": ("Kitchen", "Inns", "Catering"), "J": ("Digital", "Software", "Data"),
    "K": ("Capital", "Finance", "Insurance"), "L": ("Estates", "Property", "Lettings"),
    "M": ("Consulting", "Design", "Associates"), "N": ("Services", "Recruitment", "Facilities"),
    "O": ("Services",), "P": ("Academy", "Learning", "Tutors"), "Q": ("Care", "Health", "Clinic"),
    "R": ("Leisure", "Arts", "Fitness"), "S": ("Studio", "Repairs", "Salon"), "T": ("Household Services",),
    "U": ("Mission",),
}
_SUFFIXES = np.array(["Ltd", "Ltd", "Ltd", "Limited", "LLP", "& Co", "Group Ltd"])
#: Log-odds shift of a growth episode by section (digital, professional and manufacturing lead).
_SECTOR_GROWTH = {"J": 0.9, "M": 0.6, "C": 0.5, "N": 0.3, "K": 0.3, "H": 0.2, "Q": -0.3, "P": -0.6,
                  "O": -1.5, "A": -0.5, "I": -0.2, "S": -0.4, "T": -1.5, "U": -1.5}
_CHUNK = 250_000
_MAX_EMPLOYMENT = 25_000.0


def _pick_in_blocks(block_of_item: np.ndarray, weights: np.ndarray, rng) -> np.ndarray:
    """For each item, an index of ``weights`` columns drawn within its block (row of ``weights``)."""
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    keys = (np.arange(len(weights))[:, None] + cum).ravel()
    flat = np.searchsorted(keys, block_of_item + rng.random(len(block_of_item)) * (1 - 1e-12), side="right")
    return flat - block_of_item * weights.shape[1]


def _small_areas_of(district: np.ndarray, sa_district: np.ndarray, sa_weight: np.ndarray, rng) -> np.ndarray:
    """Draw each firm's small area within its district, proportional to ``sa_weight``."""
    order = np.argsort(sa_district, kind="stable")
    counts = np.bincount(sa_district, minlength=district.max(initial=0) + 1)
    width = counts.max()
    padded = np.zeros((len(counts), width))
    slot = np.arange(len(order)) - np.repeat(np.cumsum(counts) - counts, counts)
    padded[sa_district[order], slot] = sa_weight[order]
    padded[counts == 0, 0] = 1.0
    picked = _pick_in_blocks(district, padded, rng)
    index = np.full((len(counts), width), -1)
    index[sa_district[order], slot] = order
    return index[district, picked]


def _points_in(geoms: np.ndarray, which: np.ndarray, rng, tries: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """A uniform random point (metres) inside ``geoms[which[i]]`` for each i (rejection sampling)."""
    shapely.prepare(geoms)
    bounds = shapely.bounds(geoms)[which]
    x, y = np.empty(len(which)), np.empty(len(which))
    pending = np.arange(len(which))
    for _ in range(tries):
        if not len(pending):
            break
        b = bounds[pending]
        cx = b[:, 0] + rng.random(len(pending)) * (b[:, 2] - b[:, 0])
        cy = b[:, 1] + rng.random(len(pending)) * (b[:, 3] - b[:, 1])
        inside = shapely.contains_xy(geoms[which[pending]], cx, cy)
        x[pending[inside]], y[pending[inside]] = cx[inside], cy[inside]
        pending = pending[~inside]
    if len(pending):
        fallback = shapely.point_on_surface(geoms[which[pending]])
        x[pending], y[pending] = shapely.get_x(fallback), shapely.get_y(fallback)
    return x, y


def _names(section: np.ndarray, rng) -> np.ndarray:
    """Invented firm names such as 'Ashcombe Precision Ltd' (vectorised over a table of combinations)."""
    words = [w for s in SIC_SECTIONS for w in _SECTOR_WORDS[s]]
    first = np.cumsum([0] + [len(_SECTOR_WORDS[s]) for s in SIC_SECTIONS])
    combos = np.array([f"{a} {w} {c}" for a in _STEMS for w in words for c in _SUFFIXES], dtype=object)
    combos = combos.reshape(len(_STEMS), len(words), len(_SUFFIXES))
    counts = np.diff(first)[section]
    word = first[section] + (rng.random(len(section)) * counts).astype(int)
    return combos[rng.integers(0, len(_STEMS), len(section)), word, rng.integers(0, len(_SUFFIXES), len(section))]


def _hazard(age: np.ndarray) -> np.ndarray:
    """Annual death hazard at each age in years (ages past the table take its last value)."""
    table = np.array(cal.DEATH_HAZARD_BY_AGE)
    return table[np.clip(age, 0, len(table) - 1)]


def _survival_ages(max_age: int = 80) -> np.ndarray:
    """Probability of each age 0..max_age in a stationary stock (proportional to survival to that age)."""
    survival = np.concatenate([[1.0], np.cumprod(1 - _hazard(np.arange(max_age + 1)))[:-1]])
    return survival / survival.sum()


def _histories(f: dict, years: np.ndarray, death_scale: np.ndarray, per_job: np.ndarray, rng) -> tuple:
    """Simulate one chunk of firms: alive mask, employment and turnover (firms x years)."""
    n, t = len(f["founded"]), len(years)
    age = years[None, :] - f["founded"][:, None]
    born = age >= 0
    hazard = _hazard(age) * death_scale[f["district"]] * f["size0"][:, None] ** -0.15
    dies = born & (rng.random((n, t)) < hazard)
    dies[:, -1] = False
    death = np.where(dies.any(axis=1), dies.argmax(axis=1), t)
    alive = born & (np.arange(t)[None, :] <= death[:, None])

    first = np.maximum(f["founded"] - years[0], 0)
    mu = np.where(age < 3, 0.10, np.where(age < 10, 0.03, -0.005))
    growth = rng.normal(mu, 0.12)
    q = expit(f["propensity"][:, None] + 0.6 * (age < 5))
    starts = born & (rng.random((n, t)) < q)
    start = np.where(starts.any(axis=1), starts.argmax(axis=1), t + 10)
    steps = np.arange(t)[None, :] - start[:, None]
    boost = np.clip(rng.normal(0.32, 0.07, n), 0.2, 0.6)
    growth = growth + np.where((steps >= 1) & (steps <= 3), boost[:, None], 0.0)
    growth[np.arange(t)[None, :] <= first[:, None]] = 0.0
    latent = np.minimum(f["size0"][:, None] * np.exp(np.cumsum(growth, axis=1)), _MAX_EMPLOYMENT)
    employment = np.maximum(np.round(latent), 1.0)
    turnover = employment * per_job[f["district"], f["section"]] * f["productivity"][:, None]
    turnover *= np.exp(rng.normal(0, 0.08, (n, t)))
    return alive, employment, turnover


def build_firms(
    geo: SyntheticGeography,
    population: pd.DataFrame,
    industry: pd.DataFrame,
    years: Sequence[int],
    rng: np.random.Generator,
) -> dict:
    """Build the synthetic firm register and its yearly employment and turnover.

    Parameters
    ----------
    geo : SyntheticGeography
        Small areas (code, district_code, neighbourhood_code, deprivation_score, urban, density,
        base_population, geometry in EPSG:27700 metres) and districts.
    population : DataFrame
        The contract's ``population`` table (small areas by year, sex and age band).
    industry : DataFrame
        The contract's INDUSTRY table from :func:`.economy.build_economy` (firm sectors follow each
        district's jobs by section; turnover follows its GVA per job).
    years : sequence of int
    rng : numpy.random.Generator

    Returns
    -------
    dict
        ``firms`` (FIRMS contract): firm_id, name, sic (five-digit SIC 2007), sic_section, founded
        (year), small_area_code, x and y (EPSG:27700 metres, inside the small area), source, vintage.
        ``firm_years`` (FIRM_YEARS contract), one row per firm and year alive: firm_id (categorical),
        year, employment (persons), turnover (pounds thousand, current prices).

    Notes
    -----
    Active firms in the first year: :math:`\\mathrm{Poisson}(P_d\\,f_d)` with :math:`P_d` residents and
    :math:`f_d` enterprises per resident; births in year :math:`t`: :math:`\\mathrm{Poisson}(b_{dt} P_{dt} f_d)`.
    A firm of age :math:`a` dies at the end of a year with probability
    :math:`h_a\\,(\\delta_{dt}/\\bar\\delta)\\,s^{-0.15}` (:math:`h_a` from the survival curve,
    :math:`s` its first size). A growth episode (three years of about +38% a year) starts with
    probability :math:`\\mathrm{logit}^{-1}(\\eta_i + 0.6[a<5])` a year, where :math:`\\eta_i` adds effects of
    sector, size, small-area deprivation and density, and growth clusters.
    """
    years = np.asarray(sorted(int(y) for y in years), int)
    t = len(years)
    sa = geo.small_areas.reset_index(drop=True)
    codes = geo.districts["code"].to_numpy(str)
    d_index = pd.Series(np.arange(len(codes)), index=codes)
    sa_district = d_index.reindex(sa["district_code"].to_numpy()).to_numpy()
    residents = district_residents(geo, population)["residents"].unstack("year")
    residents = residents.reindex(index=codes, columns=years).to_numpy(float)
    rates = business_rates(geo, years)
    shape = (len(codes), t)
    per_resident = rates["enterprises_per_resident"].to_numpy().reshape(shape)
    birth_rate = rates["birth_rate"].to_numpy().reshape(shape)
    stationary_death = (_survival_ages(200) * _hazard(np.arange(201))).sum()
    death_scale = rates["death_rate"].to_numpy().reshape(shape) / stationary_death

    # who: an initial stock with ages from the survival curve, then births every later year
    stock = rng.poisson(residents[:, 0] * per_resident[:, 0])
    births = rng.poisson(birth_rate[:, 1:] * residents[:, 1:] * per_resident[:, 1:])
    district = np.concatenate([np.repeat(np.arange(len(codes)), stock),
                               np.repeat(np.arange(len(codes)), births.sum(axis=1))])
    ages = rng.choice(len(_survival_ages()), stock.sum(), p=_survival_ages())
    founded_births = np.repeat(np.tile(years[1:], len(codes)), births.ravel())
    founded = np.concatenate([years[0] - ages, founded_births]).astype(np.int16)
    order = np.lexsort((founded, district))
    district, founded = district[order], founded[order]
    n = len(district)

    # where: small areas weighted towards urban, dense places; points inside the polygons
    sa_weight = sa["base_population"].to_numpy(float) * np.exp(0.5 * sa["urban"].to_numpy(float))
    sa_weight *= (sa["density"].to_numpy(float) / np.median(sa["density"])) ** 0.15
    small_area = _small_areas_of(district, sa_district, sa_weight, rng)
    geoms = np.asarray(sa.geometry.values, dtype=object)
    x, y = _points_in(geoms, small_area, rng)

    # what: sectors follow each district's jobs divided by typical firm size, tilted in clusters
    size = np.array([cal.MEAN_FIRM_SIZE[s] for s in SIC_SECTIONS])
    jobs = industry[industry["year"] == years[0]].pivot_table(
        index="area_code", columns="sic_section", values="employment", aggfunc="sum")
    jobs = jobs.reindex(index=codes, columns=list(SIC_SECTIONS)).fillna(0).to_numpy(float) + 1e-9
    section = _pick_in_blocks(district, jobs / size, rng)
    hood = sa["neighbourhood_code"] if "neighbourhood_code" in sa else sa["code"]
    hood_urban = sa.groupby(hood)["urban"].mean()
    candidates = hood_urban.index[hood_urban >= 0.5] if (hood_urban >= 0.5).any() else hood_urban.index
    n_clusters = max(1, int(round(0.03 * len(hood_urban))))
    clusters = rng.choice(np.asarray(candidates), min(n_clusters, len(candidates)), replace=False)
    in_cluster = np.isin(hood.to_numpy(), clusters)[small_area]
    switch = in_cluster & (rng.random(n) < 0.3)
    sections = np.array(SIC_SECTIONS)
    section[switch] = np.searchsorted(sections, rng.choice(list("JMC"), switch.sum(), p=[0.45, 0.4, 0.15]))
    lengths = np.array([len(SIC_CODES[s]) for s in SIC_SECTIONS])
    code_table = np.array([list(SIC_CODES[s]) + [""] * (lengths.max() - len(SIC_CODES[s])) for s in SIC_SECTIONS])
    sic = code_table[section, (rng.random(n) * lengths[section]).astype(int)]

    # size at first observation: Pareto tails, larger for old firms and big-firm sectors
    age0 = np.maximum(years[0] - founded, 0)
    sector_scale = (size / 8.0) ** 0.5
    alpha = np.where(founded < years[0], 1.1, 1.8)
    size0 = 0.9 * rng.random(n) ** (-1 / alpha) * sector_scale[section] * (1 + np.minimum(age0, 30) / 10) ** 0.3
    size0 = np.clip(size0, 1.0, _MAX_EMPLOYMENT)

    # growth propensity: sector, size, deprivation and density of the location, clusters
    dep = sa["deprivation_score"].to_numpy(float)
    dep_z = (dep - dep.mean()) / (dep.std() or 1)
    dens = np.log(sa["density"].to_numpy(float))
    dens_z = (dens - dens.mean()) / (dens.std() or 1)
    sector_effect = np.array([_SECTOR_GROWTH.get(s, 0.0) for s in SIC_SECTIONS])
    propensity = (-4.35 + sector_effect[section] - 0.30 * dep_z[small_area] + 0.20 * dens_z[small_area]
                  + 1.0 * in_cluster - 0.25 * np.log(np.maximum(size0, 1) / 10))

    turnover_ratio = np.array([cal.TURNOVER_TO_GVA[s] for s in SIC_SECTIONS])
    ind = industry.set_index(["area_code", "sic_section", "year"]).sort_index()
    gva = ind["gva"].unstack("year").reindex(pd.MultiIndex.from_product([codes, SIC_SECTIONS]), columns=years)
    emp = ind["employment"].unstack("year").reindex(gva.index, columns=years)
    per_job = (gva * 1e6 / emp.where(emp > 0)).to_numpy(float).reshape(len(codes), len(SIC_SECTIONS), t)
    per_job = np.nan_to_num(per_job, nan=np.nanmedian(per_job)) * turnover_ratio[None, :, None] / 1000
    productivity = np.exp(rng.normal(-0.125, 0.5, n))

    frame = {"district": district, "section": section, "founded": founded.astype(int), "size0": size0,
             "propensity": propensity, "productivity": productivity}
    chunks = []
    for lo in range(0, n, _CHUNK):
        part = {k: v[lo:lo + _CHUNK] for k, v in frame.items()}
        alive, employment, turnover = _histories(part, years, death_scale, per_job, rng)
        rows, cols = np.nonzero(alive)
        chunks.append(((rows + lo).astype(np.int32), years[cols].astype(np.int16),
                       employment[rows, cols].astype(np.float32), turnover[rows, cols].astype(np.float32)))
    firm_index, year, employment, turnover = (np.concatenate(parts) for parts in zip(*chunks))

    width = max(7, len(str(n)))
    ids = "F" + pd.Index(np.arange(1, n + 1)).astype(str).str.zfill(width)
    firms = pd.DataFrame({
        "firm_id": ids,
        "name": _names(section, rng),
        "sic": pd.Categorical(sic),
        "sic_section": pd.Categorical.from_codes(section, categories=sections),
        "founded": founded.astype(np.float32),
        "small_area_code": pd.Categorical.from_codes(small_area, categories=sa["code"].astype(str)),
        "x": x, "y": y,
        "source": SOURCE, "vintage": VINTAGE,
    })
    firm_years = pd.DataFrame({
        "firm_id": pd.Categorical.from_codes(firm_index, categories=pd.Index(ids)),
        "year": year, "employment": employment, "turnover": turnover,
    })
    return {"firms": firms, "firm_years": firm_years}
