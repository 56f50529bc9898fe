"""The public-money page's tables: who spends, spending per resident against similar places, over the
years, council tax, and central government's spending in the region.

Each view takes a :class:`~diagnostics.sections.session.Session` and returns one cell's table (with its
caption and source line), or a notice saying why it cannot be shown.
"""

from __future__ import annotations

import html

import pandas as pd

from diagnostics.conventions import plural_label
from diagnostics.render.html import as_html, notice, source_line, synthetic_banner
from diagnostics.render.numbers import MISSING, format_share, format_value
from diagnostics.render.tables import html_table
from diagnostics.sections.public_money.analysis import per_head_comparison, place_spending, spending_over_years
from diagnostics.sections.public_money.charts import spending_source, years_chart
from diagnostics.sections.public_money.council_tax import place_council_tax
from diagnostics.sections.public_money.data import NO_DEFLATORS, spending_tables
from diagnostics.sections.public_money.narrative import body_kind, millions, per_resident
from diagnostics.sections.session import Session

__all__ = ["bodies_table", "per_head_table", "years_view", "council_tax_view", "regional_view"]


def _no_spending(problem: str):
    return notice(problem[0].upper() + problem[1:], title="No spending data")


def _notes(lines) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<ul class='pd-notes'>{items}</ul>" if items else ""


def bodies_table(dx: Session):
    """Every body whose area covers any of the place, its spending attributed by residents, latest year."""
    spending = place_spending(dx)
    if spending.problem:
        return _no_spending(spending.problem)
    period = spending.latest
    rows = spending.bodies.loc[spending.bodies["period"] == period]
    people = spending.residents[period]
    frame = pd.DataFrame({
        "Body": rows["body_name"],
        "Kind": rows["body_type"].map(body_kind),
        "Return": rows["returned"].map(lambda r: "made" if r else "none"),
        "Its residents living here": rows["residents_share"].map(format_share),
        "The place's residents it serves": rows["place_share"].map(format_share),
        "Gross": rows["gross"].map(millions),
        "Net": rows["net"].map(millions),
        "Net per resident": rows["net"].map(lambda v: per_resident(1000 * v / people)),
        "Share of the place's total": (rows["net"] / rows["net"].sum()).map(format_share),
    })
    total = rows["net"].sum()
    caption = (f"Public bodies spending in {dx.place.name}, {period}: each body's revenue spending shared by residents "
               f"(its spending x the share of its residents living here). {millions(total)} net in all, "
               f"{per_resident(1000 * total / people)} per resident of {format_value(people, '', 0)}. Split share "
               f"{format_share(spending.split_share)}; coverage {format_share(spending.coverage)}.")
    return as_html(synthetic_banner(dx) + html_table(frame, caption) + _notes(spending.notes)
                   + source_line(spending_source(dx), period))


def per_head_table(dx: Session):
    """Net spending per resident by service against the region, the country and the comparators."""
    spending = place_spending(dx)
    if spending.problem:
        return _no_spending(spending.problem)
    table = per_head_comparison(dx)
    if table.empty:
        return notice(f"The store's lookups give no {dx.place.layer_label.lower()} figures to compare {dx.place.name} with.",
                      title="No comparison")

    def money(v):
        return per_resident(v) if pd.notna(v) else MISSING

    frame = pd.DataFrame({
        "Service": table["label"],
        dx.place.name: table["place"].map(money),
        dx.name_of(dx.region_code) if dx.region_code else "Region": table["region"].map(money),
        dx.name_of(dx.country_code) if dx.country_code else "Country": table["country"].map(money),
        "Comparators' median (range)": [
            f"{money(m)} ({money(lo)} to {money(hi)})" if n else MISSING
            for m, lo, hi, n in zip(table["comparators_median"], table["comparators_min"], table["comparators_max"],
                                    table["n_comparators"])],
        "Rank (highest first)": [f"{r} of {n}" for r, n in zip(table["rank"], table["n_ranked"])],
    })
    caption = (f"Net spending per resident by service, {table['period'].iloc[0]}, against {dx.comparator_method} and every "
               f"{dx.place.layer_label.lower()} of the store ({plural_label(dx.place.layer_label).lower()} ranked from the "
               "highest). Higher or lower is neither better nor worse: spending follows need, choices and costs.")
    return as_html(synthetic_banner(dx) + html_table(frame, caption)
                   + source_line(spending_source(dx) + "; each body's spending shared by residents", table["period"].iloc[0]))


def years_view(dx: Session):
    """The place's spending per resident over the years: the chart, then every service by year."""
    years = spending_over_years(dx)
    if years.empty:
        return years_chart(dx)
    wide = years.pivot(index="label", columns="period", values="per_head")
    frame = wide.map(per_resident).reset_index().rename(columns={"label": "Service"})
    real = years["real_per_head"].notna().any()
    caption = (f"Net spending per resident of {dx.place.name} by service, cash terms"
               + ("; the chart marks the total in real terms." if real else f" ({NO_DEFLATORS})."))
    chart = years_chart(dx)
    return as_html(synthetic_banner(dx) + chart.data + html_table(frame, caption)
                   + source_line(spending_source(dx), f"{wide.columns[0]} to {wide.columns[-1]}"))


def council_tax_view(dx: Session):
    """The Band D bill of each billing area (each precept and the whole), the council tax raised per resident,
    and the share of each body's spending it funds."""
    tax = place_council_tax(dx)
    if tax.problem:
        return notice(tax.problem[0].upper() + tax.problem[1:] + ".", title="No council tax data")
    bills = tax.bills.assign(band_d=tax.bills["band_d"].map(lambda v: format_value(v, "£", 2)))
    wide = bills.pivot_table(index="body_name", columns="billing_name", values="band_d", aggfunc="first", fill_value=MISSING)
    order = list(dict.fromkeys(bills["body_name"]))
    wide = wide.loc[[o for o in order if o != "Whole bill"] + ["Whole bill"]].reset_index().rename(columns={"body_name": "Body"})
    funded = tax.funded
    funded_frame = pd.DataFrame({
        "Body": funded["body_name"],
        "Council tax requirement": funded["requirement"].map(millions),
        "Net spending": funded["net"].map(millions),
        "Share funded by council tax": funded["funded_share"].map(format_share),
    })
    per_head = tax.requirement_per_head
    sentence = (f"Council tax raised {per_resident(per_head[tax.period])} per resident of {dx.place.name} in {tax.period} "
                "(every body's requirement in the place's billing areas, shared by residents)." if tax.period in per_head.index else "")
    council_tax = spending_tables(dx.store).council_tax
    source = "; ".join(sorted(set(council_tax["source"].astype(str) + " (" + council_tax["vintage"].astype(str) + ")")))
    return as_html(
        synthetic_banner(dx)
        + html_table(wide, f"Band D council tax (£ per Band D dwelling, two adults) of {dx.place.name}'s billing areas, "
                           f"{tax.period}: each body's precept and the whole bill.")
        + (f"<p>{html.escape(sentence)}</p>" if sentence else "")
        + html_table(funded_frame, f"The share of each body's net spending (all its area, all services) raised from "
                                   f"council tax, {tax.period}. Bodies that levy none (the NHS) are left out.")
        + source_line(source, tax.period)
    )


def regional_view(dx: Session):
    """Central government's identifiable spending per resident in the place's region, by function."""
    store = dx.store
    if not store.has_table("regional_spend"):
        return notice("The store has no regional spending table: import HM Treasury's Country and Regional Analysis "
                      "(PESA chapter 9) to see central government's spending in the region.", title="Not available")
    region = dx.region_code
    if region is None:
        return notice(f"{dx.place.name} does not lie in one region, so central government's regional spending cannot be "
                      "given for it.", title="Not available")
    table = spending_tables(store).regional
    period = table.loc[table["region_code"] == region, "period"].max()
    if pd.isna(period):
        return notice(f"The store's regional spending has no rows for {dx.name_of(region)}.", title="Not available")
    rows = table.loc[table["period"] == period]
    mine = rows.loc[rows["region_code"] == region].set_index("function")["per_head"]
    country = rows.loc[rows["region_code"] == dx.country_code].set_index("function")["per_head"] if dx.country_code else pd.Series(dtype=float)
    frame = pd.DataFrame({
        "Function": mine.index,
        dx.name_of(region): mine.map(per_resident).to_numpy(),
        dx.name_of(dx.country_code) if dx.country_code else "Country": [per_resident(country.get(f)) for f in mine.index],
    })
    caption = (f"Central government's identifiable spending per resident by function, {dx.name_of(region)}, {period} "
               "(cash terms). The finest geography published is the region: it is not shared to the place.")
    source = "; ".join(sorted(set(rows["source"].astype(str) + " (" + rows["vintage"].astype(str) + ")")))
    return as_html(synthetic_banner(dx) + html_table(frame, caption) + source_line(source, period))
