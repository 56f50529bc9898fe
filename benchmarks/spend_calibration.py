"""Measure the spend per head that calibrates the synthetic country's public money (run once, by hand).

Run: ``.venv/bin/python benchmarks/spend_calibration.py [UKDATA]`` (default ``/work/shared/ukdata``).
Prints, for each kind of spending body and service area, the median net current expenditure per
resident (£), the spread (standard deviation of log spend per head across the bodies of that kind)
and the median share of gross expenditure met by income; then each kind of body's median Band D and
council tax requirement per head, and the ICBs' median allocation per head. The figures are written
down as named constants in :mod:`diagnostics.sources.synthetic.spending_calibration`; the generator
never reads these files at run time.

Sources (see SOURCES.md of the ukdata folder):

- MHCLG Revenue Outturn RSX 2021-22 (``spending/la_revenue/mhclg_rsx_service_expenditure_2021_22_csvexport.csv``),
  £ thousand: the one RSX year readable without odfpy (the later years are ODS);
- ONS mid-2022 population estimates (``population/ons_mye_uk_mid2022_lad2023geog.xlsx``, MYEB1), 2023
  geography: the 2021-22 bodies of Cumbria, North Yorkshire and Somerset (abolished in 2023) have no
  population and are left out, as are police forces and counties with such a district;
- lookups: districts to counties (``lad20_to_cty20_en.csv``), to police force areas
  (``lad19_to_csp19_to_pfa19_ew.csv``) and to combined authorities (``lad24_to_cauth24_may2024_en.csv``);
  a fire authority's area is its police force's where the two share a first word (Kent, Essex...);
- council tax: ``spending/council_tax/dluhc_ctr_la_level_data_2022_23.xlsx`` (sheet Data, £), 2022-23;
- NHS England ICB core allocations 2023-24 (``spending/nhs/nhse_icb_allocations_2023_24_to_2024_25.xlsx``).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

SERVICES = ("education", "highways_transport", "childrens_social_care", "adult_social_care", "public_health",
            "housing", "cultural", "environmental_regulatory", "planning_development", "police", "fire_rescue",
            "central", "other")
CLASSES = {"SD": "district", "SC": "county", "UA": "unitary", "MD": "metropolitan", "LB": "london_borough"}
DETAILED = {"P": "police", "FR": "fire", "CA": "combined_authority"}


def _population(root: Path) -> pd.Series:
    book = root / "population" / "ons_mye_uk_mid2022_lad2023geog.xlsx"
    long = pd.read_excel(book, sheet_name="MYEB1", engine="openpyxl")
    return long.groupby("code")["population_2022"].sum()


def _rsx(root: Path) -> pd.DataFrame:
    path = root / "spending" / "la_revenue" / "mhclg_rsx_service_expenditure_2021_22_csvexport.csv"
    raw = pd.read_csv(path, skiprows=10, encoding="utf-8-sig")
    raw = raw.loc[raw["ONS Code"].astype(str).str.match(r"^E\d{8}$")]
    rows = []
    for _, r in raw.iterrows():
        kind = CLASSES.get(r["Class"]) or DETAILED.get(r["Detailed Class"])
        if kind is None:
            continue
        for i, service in enumerate(SERVICES):
            base = 6 + 7 * i
            cells = r.iloc[[base + 2, base + 5, base + 6]].astype(str).str.replace(",", "")
            values = pd.to_numeric(cells, errors="coerce").to_numpy(float)
            rows.append({"code": r["ONS Code"], "name": r["Local authority"], "kind": kind, "service": service,
                         "gross": values[0], "income": values[1], "net": values[2]})
    return pd.DataFrame(rows)


def _body_population(root: Path, rsx: pd.DataFrame, pop: pd.Series) -> pd.Series:
    lookups = root / "lookups"
    out = {code: pop[code] for code in rsx["code"].unique() if code in pop.index}
    for file, lad, body in (("lad20_to_cty20_en.csv", "LAD20CD", "CTY20CD"),
                            ("lad19_to_csp19_to_pfa19_ew.csv", "LAD19CD", "PFA19CD"),
                            ("lad24_to_cauth24_may2024_en.csv", "LAD24CD", "CAUTH24CD")):
        table = pd.read_csv(lookups / file, encoding="utf-8-sig")
        for code, members in table.groupby(body)[lad]:
            if all(m in pop.index for m in members):
                out[code] = float(pop.reindex(members).sum())
    names = rsx.drop_duplicates("code").set_index("code")
    police = {n.split()[0]: c for c, n in names.loc[names["kind"] == "police", "name"].items()}
    for code, name in names.loc[names["kind"] == "fire", "name"].items():
        match = police.get(name.split()[0])
        if match in out:
            out[code] = out[match]
    return pd.Series(out)


def _spread(values: pd.Series) -> float:
    logs = np.log(values[values > 0])
    return float(logs.std()) if len(logs) > 2 else float("nan")


def spend_per_head(root: Path) -> pd.DataFrame:
    rsx = _rsx(root)
    pop = _population(root)
    rsx["population"] = rsx["code"].map(_body_population(root, rsx, pop))
    rsx = rsx.dropna(subset=["population", "net"])
    rsx["net_per_head"] = 1000 * rsx["net"] / rsx["population"]
    rsx["income_share"] = np.where(rsx["gross"] > 0, rsx["income"] / rsx["gross"], np.nan)
    table = rsx.groupby(["kind", "service"]).agg(
        bodies=("code", "nunique"),
        median=("net_per_head", "median"),
        spread=("net_per_head", _spread),
        income_share=("income_share", "median"),
        spending=("net_per_head", lambda v: (v > 0.5).mean()),
    )
    return table.reset_index()


def council_tax(root: Path) -> pd.DataFrame:
    book = root / "spending" / "council_tax" / "dluhc_ctr_la_level_data_2022_23.xlsx"
    raw = pd.read_excel(book, sheet_name="Data", header=None, engine="openpyxl")
    data = raw.iloc[5:]
    billing = data[2].isin(["SD", "UA", "MD", "ILB", "OLB"])
    # billing authorities: their own Band D without parish precepts (col 25); preceptors: col 23
    band_d = pd.to_numeric(data[25].where(billing, data[23]), errors="coerce")
    parishes = pd.to_numeric(data[23], errors="coerce") - pd.to_numeric(data[25], errors="coerce")
    frame = pd.DataFrame({"ecode": data[0], "class": data[2], "band_d": band_d,
                          "parishes": parishes.where(billing),
                          "tax_base": pd.to_numeric(data[21], errors="coerce")})
    frame = frame.loc[frame["band_d"] > 0]
    out = frame.groupby("class").agg(bodies=("ecode", "nunique"), band_d=("band_d", "median"),
                                     band_d_spread=("band_d", _spread), parishes=("parishes", "median"))
    england = raw.loc[raw[0] == "Eng"]
    out.attrs["tax_base_england"] = float(pd.to_numeric(england[21]).iloc[0])
    return out


def icb_allocations(root: Path) -> pd.DataFrame:
    book = root / "spending" / "nhs" / "nhse_icb_allocations_2023_24_to_2024_25.xlsx"
    raw = pd.read_excel(book, sheet_name="ICB Core Allocations 2023-24", header=None, engine="openpyxl")
    per_head = []
    for _, row in raw.iterrows():
        numbers = pd.to_numeric(row, errors="coerce")
        if isinstance(row.iloc[2], str) and row.iloc[2].startswith("Q"):
            per_head.append(numbers.dropna().to_numpy())
    return pd.Series([len(p) for p in per_head]).describe() if not per_head else pd.DataFrame(per_head)


FUNCTIONS = {1: "General public services", 5: "Public order and safety", 6: "Economic affairs",
             12: "Environment protection", 13: "Housing and community amenities", 14: "Health",
             15: "Recreation, culture and religion", 16: "Education", 17: "Social protection"}


def regional(root: Path) -> pd.DataFrame:
    """England's identifiable spending per head by function in each year, and the spread across regions."""
    book = root / "spending" / "regional" / "hmt_pesa2024_ch9_country_regional_analysis.xlsx"
    raw = pd.read_excel(book, sheet_name="9.15", header=None, engine="openpyxl")
    starts = raw.index[raw[0].astype(str).str.match(r"^\d{4}-\d{2}$")]
    rows = []
    for start in starts:
        block = raw.iloc[start + 1:start + 15]
        regions = block.iloc[:9]
        england = block.loc[block[0] == "England"].iloc[0]
        for column, function in FUNCTIONS.items():
            values = pd.to_numeric(regions[column], errors="coerce")
            rows.append({"period": raw.iloc[start, 0], "function": function,
                         "england": float(england[column]), "spread": _spread(values)})
    return pd.DataFrame(rows).pivot(index="function", columns="period", values=["england", "spread"])


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/ukdata")
    warnings.simplefilter("ignore")
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 500)
    print("Net current expenditure per head, 2021-22 RSX over mid-2022 residents (£):")
    print(spend_per_head(root).round(3).to_string(index=False))
    print("\nCouncil tax 2022-23 by class (Band D £, median and log spread):")
    tax = council_tax(root)
    print(tax.round(3).to_string())
    england = float(_population(root).get("E92000001", float("nan")))
    print(f"England tax base {tax.attrs['tax_base_england']:,.0f} Band D equivalents over {england:,.0f} residents: "
          f"{tax.attrs['tax_base_england'] / england:.3f} per resident")
    print("\nCountry and Regional Analysis per head by function (£), England, and log spread across regions:")
    print(regional(root).round(3).to_string())
    print("\nICB core allocations 2023-24 (numeric columns of each ICB row):")
    print(icb_allocations(root).describe().round(1).to_string())


if __name__ == "__main__":
    main()
