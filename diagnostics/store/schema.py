"""The data contract: the tables a store holds and what each column must satisfy.

Every source (synthetic, ONS, user files) writes these tables; every analysis reads only them.
``data/README.md`` describes the same contract for people. Validation is lazy: a failure lists
every problem at once, each naming the table, the column, the offending rows and what was expected.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from diagnostics.conventions import (
    AGE_BANDS,
    DOMAINS,
    POLARITIES,
    SEXES,
    SIC_SECTIONS,
    SPEND_BODY_TYPES,
    SPEND_SERVICES,
    VALUE_TYPES,
)
from diagnostics.exceptions import ContractViolation

__all__ = [
    "SCHEMA_VERSION",
    "TABLE_SCHEMAS",
    "BOUNDARY_CRS",
    "DISTRICT_SEXES",
    "validate_table",
]

SCHEMA_VERSION = 1

#: Boundaries are stored in British National Grid (metres); maps reproject to EPSG:4326.
BOUNDARY_CRS = "EPSG:27700"

_LAYER_PATTERN = r"^[a-z][a-z0-9_]*$"


def _text(nullable: bool = False, **kwargs) -> pa.Column:
    return pa.Column(str, nullable=nullable, coerce=True, **kwargs)


def _provenance() -> dict[str, pa.Column]:
    return {"source": _text(checks=pa.Check.str_length(min_value=1)), "vintage": _text()}


def _ci_ordered(df: pd.DataFrame) -> pd.Series:
    """lower_ci <= value <= upper_ci wherever all three are present (a small tolerance for rounding)."""
    tol = 1e-9 * df["value"].abs().fillna(0) + 1e-9
    present = df[["value", "lower_ci", "upper_ci"]].notna().all(axis=1)
    ok = (df["lower_ci"] <= df["value"] + tol) & (df["value"] <= df["upper_ci"] + tol)
    return ok | ~present


AREAS = pa.DataFrameSchema(
    {
        "code": _text(unique=True, checks=pa.Check.str_length(min_value=1)),
        "name": _text(checks=pa.Check.str_length(min_value=1)),
        "layer": _text(checks=pa.Check.str_matches(_LAYER_PATTERN)),
        "parent_code": _text(nullable=True),
        **_provenance(),
    },
    name="areas",
    checks=[
        pa.Check(
            lambda df: df["parent_code"].isna() | df["parent_code"].isin(df["code"]),
            error="parent_code must be the code of another area in the table",
        )
    ],
)

BOUNDARY_ATTRIBUTES = pa.DataFrameSchema(
    {"code": _text(unique=True), "name": _text()},
    name="boundaries",
)

LOOKUPS = pa.DataFrameSchema(
    {
        "small_area_code": _text(),
        "layer": _text(checks=pa.Check.str_matches(_LAYER_PATTERN)),
        "area_code": _text(),
        "weight": pa.Column(float, coerce=True, checks=[pa.Check.gt(0), pa.Check.le(1 + 1e-9)]),
        **_provenance(),
    },
    name="lookups",
    unique=["small_area_code", "layer", "area_code"],
    checks=[
        pa.Check(
            lambda df: (df.groupby(["small_area_code", "layer"])["weight"].transform("sum") - 1).abs() < 1e-6,
            error="the weights of each small area within a layer must sum to 1",
        )
    ],
)


def _counts_by_age(name: str, value: str, dtype: type = int, sexes=SEXES, checks=()) -> pa.DataFrameSchema:
    """A table of counts by area, year, sex and age band (one value column, never negative)."""
    return pa.DataFrameSchema(
        {
            "area_code": _text(),
            "year": pa.Column(int, coerce=True, checks=pa.Check.in_range(1900, 2100)),
            "sex": _text(checks=pa.Check.isin(sexes)),
            "age_band": _text(checks=pa.Check.isin(AGE_BANDS)),
            value: pa.Column(dtype, coerce=True, checks=pa.Check.ge(0)),
            **_provenance(),
        },
        name=name,
        unique=["area_code", "year", "sex", "age_band"],
        checks=list(checks),
    )


POPULATION = _counts_by_age("population", "population")
DEATHS = _counts_by_age("deaths", "deaths")

#: Sexes of ``district_population``: F and M, or P (persons) for a year published for persons only.
DISTRICT_SEXES: tuple[str, ...] = (*SEXES, "P")


def _one_split_per_year(df: pd.DataFrame) -> pd.Series:
    """A district's year holds either persons (P) or females and males (F, M), never both."""
    persons = df["sex"].eq("P").groupby([df["area_code"], df["year"]]).transform("any")
    split = df["sex"].isin(SEXES).groupby([df["area_code"], df["year"]]).transform("any")
    return ~(persons & split)


# Where small-area age detail is not published (real England), districts carry the counts instead:
# ONS's mid-year estimates and deaths by district, sex and age band. Deaths are floats: a count ONS
# publishes for two districts together is split between them by population (the vintage says so).
DISTRICT_POPULATION = _counts_by_age(
    "district_population", "population", int, DISTRICT_SEXES,
    checks=[pa.Check(_one_split_per_year, error="a district's year holds persons (P) or females and males (F, M), not both")],
)
DISTRICT_DEATHS = _counts_by_age("district_deaths", "deaths", float, SEXES)

INDICATORS = pa.DataFrameSchema(
    {
        "indicator_id": _text(checks=pa.Check.str_matches(_LAYER_PATTERN)),
        "area_code": _text(),
        "period": _text(),
        "year": pa.Column(int, coerce=True, checks=pa.Check.in_range(1900, 2100)),
        "value": pa.Column(float, nullable=True, coerce=True),
        "numerator": pa.Column(float, nullable=True, coerce=True, checks=pa.Check.ge(0)),
        "denominator": pa.Column(float, nullable=True, coerce=True, checks=pa.Check.gt(0)),
        "lower_ci": pa.Column(float, nullable=True, coerce=True),
        "upper_ci": pa.Column(float, nullable=True, coerce=True),
        "confidence": pa.Column(float, nullable=True, coerce=True, checks=pa.Check.in_range(0, 1, False, False)),
        "note": _text(nullable=True),
        **_provenance(),
    },
    name="indicators",
    unique=["indicator_id", "area_code", "period"],
    checks=[pa.Check(_ci_ordered, error="lower_ci <= value <= upper_ci wherever all three are given")],
)

CATALOGUE = pa.DataFrameSchema(
    {
        "indicator_id": _text(unique=True, checks=pa.Check.str_matches(_LAYER_PATTERN)),
        "name": _text(),
        "short_name": _text(),
        "domain": _text(checks=pa.Check.isin(DOMAINS)),
        "unit": _text(),
        "value_type": _text(checks=pa.Check.isin(VALUE_TYPES)),
        "multiplier": pa.Column(float, coerce=True, checks=pa.Check.gt(0)),
        "polarity": _text(checks=pa.Check.isin(POLARITIES)),
        "decimals": pa.Column(int, coerce=True, checks=pa.Check.in_range(0, 4)),
        "description": _text(),
        "method": _text(),
        **_provenance(),
    },
    name="catalogue",
)

INDUSTRY = pa.DataFrameSchema(
    {
        "area_code": _text(),
        "year": pa.Column(int, coerce=True, checks=pa.Check.in_range(1900, 2100)),
        "sic_section": _text(checks=pa.Check.isin(SIC_SECTIONS)),
        "employment": pa.Column(float, coerce=True, checks=pa.Check.ge(0)),
        "gva": pa.Column(float, nullable=True, coerce=True),
        **_provenance(),
    },
    name="industry",
    unique=["area_code", "year", "sic_section"],
)

#: Business counts (ONS's Inter-Departmental Business Register, as "UK business: activity, size and
#: location" and UK Business Counts publish them): enterprises or local units of an area in one
#: March snapshot, by broad industry group, employment size band or turnover band. Counts of
#: businesses, not jobs; ONS rounds each to 5.
BUSINESS_COUNTS = pa.DataFrameSchema(
    {
        "area_code": _text(),
        "year": pa.Column(int, coerce=True, checks=pa.Check.in_range(1900, 2100)),
        "unit": _text(checks=pa.Check.isin(("enterprises", "local_units"))),
        "breakdown": _text(checks=pa.Check.isin(("industry", "employment_size", "turnover_size"))),
        "category": _text(checks=pa.Check.str_length(min_value=1)),
        "count": pa.Column(int, coerce=True, checks=pa.Check.ge(0)),
        **_provenance(),
    },
    name="business_counts",
    unique=["area_code", "year", "unit", "breakdown", "category"],
)

# The firm register is held leniently: duplicated ids, unknown SIC codes or negative employment are
# data-quality findings that the growth analysis counts and reports, not reasons to refuse a store.
FIRMS = pa.DataFrameSchema(
    {
        "firm_id": _text(),
        "name": _text(nullable=True),
        "sic": _text(nullable=True),
        "sic_section": _text(nullable=True),
        "founded": pa.Column(float, nullable=True, coerce=True),
        "small_area_code": _text(nullable=True),
        "x": pa.Column(float, nullable=True, coerce=True),
        "y": pa.Column(float, nullable=True, coerce=True),
        **_provenance(),
    },
    name="firms",
)

FIRM_YEARS = pa.DataFrameSchema(
    {
        "firm_id": _text(),
        "year": pa.Column(int, coerce=True, checks=pa.Check.in_range(1900, 2100)),
        "employment": pa.Column(float, nullable=True, coerce=True),
        "turnover": pa.Column(float, nullable=True, coerce=True),
    },
    name="firm_years",
)

# Official comparator groups (optional; a real import brings ONS's own): each area's ranked
# nearest neighbours in a named set, and the cluster each area belongs to in a named clustering.
COMPARATORS = pa.DataFrameSchema(
    {
        "area_code": _text(),
        "set_name": _text(checks=pa.Check.str_matches(_LAYER_PATTERN)),
        "rank": pa.Column(int, coerce=True, checks=pa.Check.ge(1)),
        "comparator_code": _text(),
        **_provenance(),
    },
    name="comparators",
    unique=["area_code", "set_name", "rank"],
)

CLUSTERS = pa.DataFrameSchema(
    {
        "area_code": _text(),
        "set_name": _text(checks=pa.Check.str_matches(_LAYER_PATTERN)),
        "cluster": _text(),
        "description": _text(nullable=True),
        **_provenance(),
    },
    name="clusters",
    unique=["area_code", "set_name"],
)

# Public money (optional; issue "Total Place"). Money in pounds as the publishers give it is
# converted on import: spend and requirements in £ thousand, Band D in £. A financial year is
# labelled "2023-24" and ``year`` is the calendar year it ends in (2024).
_FINANCIAL_YEAR = r"^\d{4}-\d{2}$"


def _financial_year() -> dict[str, pa.Column]:
    return {
        "period": _text(checks=pa.Check.str_matches(_FINANCIAL_YEAR)),
        "year": pa.Column(int, coerce=True, checks=pa.Check.in_range(1900, 2100)),
    }


#: Every public body that spends, one row per body and financial year: what it is, and whether it
#: made its return (a body that did not is kept, with ``returned`` False and the reason in ``note``,
#: so a missing return is said, never read as zero spend).
SPEND_BODIES = pa.DataFrameSchema(
    {
        "body_code": _text(checks=pa.Check.str_length(min_value=1)),
        **_financial_year(),
        "body_name": _text(checks=pa.Check.str_length(min_value=1)),
        "body_type": _text(checks=pa.Check.isin(tuple(SPEND_BODY_TYPES))),
        "returned": pa.Column(bool, coerce=True),
        "note": _text(nullable=True),
        **_provenance(),
    },
    name="spend_bodies",
    unique=["body_code", "period"],
)

#: The districts each body's area is made of, per financial year: ``share`` is the fraction of
#: the district's residents in the body's area (1 for a council, county, police force, fire
#: authority or combined authority made of whole districts). A body's spend is attributed to a
#: place by residents: spend x (residents of body and place) / (residents of body).
SPEND_BODY_AREAS = pa.DataFrameSchema(
    {
        "body_code": _text(),
        "period": _text(checks=pa.Check.str_matches(_FINANCIAL_YEAR)),
        "district_code": _text(),
        "share": pa.Column(float, coerce=True, checks=[pa.Check.gt(0), pa.Check.le(1)]),
        **_provenance(),
    },
    name="spend_body_areas",
    unique=["body_code", "period", "district_code"],
)

#: Revenue spending of each body by service area, £ thousand (outturn): gross expenditure, income
#: and net current expenditure (gross - income). ``nhs`` rows are ICB allocations (gross = net,
#: income 0). Only bodies with ``returned`` True have rows.
SPEND = pa.DataFrameSchema(
    {
        "body_code": _text(),
        **_financial_year(),
        "service": _text(checks=pa.Check.isin(tuple(SPEND_SERVICES))),
        "gross": pa.Column(float, nullable=True, coerce=True),
        "income": pa.Column(float, nullable=True, coerce=True),
        "net": pa.Column(float, nullable=True, coerce=True),
        **_provenance(),
    },
    name="spend",
    unique=["body_code", "period", "service"],
)

#: Council tax: for each billing authority (a district) and financial year, each body that levies
#: on it (the billing authority itself, county or GLA, police, fire, combined authority, and
#: ``parishes`` for the average of parish precepts): its Band D (£ per Band D dwelling) and the
#: council tax requirement it raises in that billing area (£ thousand, where published).
COUNCIL_TAX = pa.DataFrameSchema(
    {
        "billing_code": _text(),
        **_financial_year(),
        "body_code": _text(),
        "body_type": _text(checks=pa.Check.isin((*SPEND_BODY_TYPES, "parishes"))),
        "band_d": pa.Column(float, nullable=True, coerce=True, checks=pa.Check.ge(0)),
        "requirement": pa.Column(float, nullable=True, coerce=True, checks=pa.Check.ge(0)),
        "tax_base": pa.Column(float, nullable=True, coerce=True, checks=pa.Check.ge(0)),
        **_provenance(),
    },
    name="council_tax",
    unique=["billing_code", "period", "body_code"],
)

#: Central government's identifiable spending by region and function (HM Treasury's Country and
#: Regional Analysis): £ million and £ per head, cash terms. ``region_code`` is an area of the
#: ``region`` (or ``country``) layer; ``function`` a COFOG function name as HM Treasury gives it.
REGIONAL_SPEND = pa.DataFrameSchema(
    {
        "region_code": _text(),
        **_financial_year(),
        "function": _text(checks=pa.Check.str_length(min_value=1)),
        "spend_million": pa.Column(float, nullable=True, coerce=True),
        "per_head": pa.Column(float, nullable=True, coerce=True),
        **_provenance(),
    },
    name="regional_spend",
    unique=["region_code", "period", "function"],
)

#: Every tabular (non-geometry) table of the store, by name.
TABLE_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "areas": AREAS,
    "lookups": LOOKUPS,
    "population": POPULATION,
    "deaths": DEATHS,
    "district_population": DISTRICT_POPULATION,
    "district_deaths": DISTRICT_DEATHS,
    "indicators": INDICATORS,
    "catalogue": CATALOGUE,
    "industry": INDUSTRY,
    "business_counts": BUSINESS_COUNTS,
    "firms": FIRMS,
    "firm_years": FIRM_YEARS,
    "comparators": COMPARATORS,
    "clusters": CLUSTERS,
    "spend_bodies": SPEND_BODIES,
    "spend_body_areas": SPEND_BODY_AREAS,
    "spend": SPEND,
    "council_tax": COUNCIL_TAX,
    "regional_spend": REGIONAL_SPEND,
}
#: Tables every store must have; the others are optional (a real import may lack a firm register).
#: A store may declare a required table absent, with the reason, in its manifest's
#: ``absent_tables`` (a real import has no small-area population by sex and five-year age band);
#: it then reads as an empty table and ``Store.has_table`` says False.
REQUIRED_TABLES = ("areas", "lookups", "population", "indicators", "catalogue")


def _describe_failures(failure_cases: pd.DataFrame, max_rows: int = 5) -> list[str]:
    problems: list[str] = []
    # a check of whole rows (one rule over several columns) fails once per row, not once per column
    row_rule = failure_cases["schema_context"].eq("DataFrameSchema") & failure_cases["index"].notna()
    for check, cases in failure_cases[row_rule].groupby("check", sort=False):
        rows = cases["index"].unique().tolist()
        shown_rows = ", ".join(str(r) for r in rows[:max_rows]) + (" ..." if len(rows) > max_rows else "")
        first = cases[cases["index"] == rows[0]]
        values = ", ".join(f"{c}={v}" for c, v in zip(first["column"], first["failure_case"].astype(str)))
        problems.append(
            f"{len(rows)} row(s) break the rule '{check}' (rows {shown_rows}); row {rows[0]} holds {values[:300]}"
        )
    grouped = failure_cases[~row_rule].groupby(["column", "check"], dropna=False, sort=False)
    for (column, check), cases in grouped:
        rows = cases["index"].dropna().unique().tolist()
        values = cases["failure_case"].astype(str).unique().tolist()
        shown_rows = ", ".join(str(r) for r in rows[:max_rows]) + (" ..." if len(rows) > max_rows else "")
        shown_values = ", ".join(values[:max_rows]) + (" ..." if len(values) > max_rows else "")
        column_text = f"column {column!r}" if isinstance(column, str) and column else "the table"
        if str(check) == "column_in_dataframe":
            problems.append(f"column {shown_values!r} is missing (expected by the contract)")
            continue
        if str(check).startswith("coerce_dtype") or str(check).startswith("dtype"):
            problems.append(f"{column_text}: values {shown_values} cannot be read as expected ({check})")
            continue
        where = f"rows {shown_rows}" if rows else "the table"
        problems.append(
            f"{column_text} fails '{check}' in {len(rows) or len(cases)} row(s) ({where}); offending values: {shown_values}"
        )
    return problems


def validate_table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate one table against the contract and return it with its columns coerced.

    Parameters
    ----------
    name : str
        A key of :data:`TABLE_SCHEMAS`, or ``"boundaries"`` for a boundary layer's attributes.
    df : pandas.DataFrame
        The table.

    Returns
    -------
    pandas.DataFrame
        The table with its contract columns coerced to their types.

    Raises
    ------
    ContractViolation
        Listing every problem at once: column, check, offending rows and values.
    """
    schema = TABLE_SCHEMAS[name] if name in TABLE_SCHEMAS else BOUNDARY_ATTRIBUTES
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise ContractViolation(name, _describe_failures(err.failure_cases)) from err
