"""The geographies page's sentences: how the place sits in each layer, what the worked example shows,
and how a user's own boundary was matched.

Text only (no HTML): the page escapes and lays them out. Every sentence about overlaps speaks of what
they count (:class:`Counting`): residents, or small areas on a store without small-area populations.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from diagnostics.geography.lookups import population_basis
from diagnostics.render.numbers import format_change, format_share, format_value

__all__ = [
    "Counting",
    "counting",
    "layer_sentence",
    "split_lead",
    "largest_gap_sentence",
    "other_way_round_sentence",
    "apportioned_place_sentence",
    "custom_boundary_lines",
]


@dataclass(frozen=True)
class Counting:
    """The words for what the overlaps count.

    Attributes
    ----------
    noun : str
        ``"residents"``, or ``"small areas"`` when the store has no small-area populations (each small
        area then counts once: :func:`diagnostics.geography.lookups.population_basis`).
    """

    noun: str = "residents"

    @property
    def by_residents(self) -> bool:
        """Whether the overlaps count residents (the store has small-area populations)."""
        return self.noun == "residents"

    @property
    def weighted(self) -> str:
        """How coterminosity is weighted: ``"residents-weighted"`` or ``"small-area-count-weighted"``."""
        return "residents-weighted" if self.by_residents else "small-area-count-weighted"

    @property
    def measured(self) -> str:
        """How the shared residents (or small areas) were measured, as a sentence's subject."""
        if self.by_residents:
            return "Residents from small-area populations and the lookups' weights"
        return "Small areas counted through the lookups"

    @property
    def populations(self) -> str:
        """What the overlaps were weighted by, for source lines: small-area populations or counts."""
        return "small-area populations" if self.by_residents else "small-area counts"


def counting(store) -> Counting:
    """What the store's overlaps count (:class:`Counting`)."""
    return Counting(population_basis(store))


def layer_sentence(place_name: str, score: pd.Series, rows: pd.DataFrame, counted: Counting = Counting()) -> str:
    """One plain-English sentence on how the place sits in one layer.

    Parameters
    ----------
    place_name : str
    score : Series
        The layer's row of :func:`diagnostics.geography.overlaps.coterminosity`.
    rows : DataFrame
        The layer's rows of :func:`diagnostics.geography.overlaps.overlap_table`, biggest first.
    counted : Counting, default residents
        What the overlaps count.

    >>> score = pd.Series({"layer_label": "Health area (ICB)", "relationship": "split between 2 areas"})
    >>> rows = pd.DataFrame({"area_name": ["Health Area North", "Health Area East"],
    ...                      "place_share": [0.82, 0.18], "area_share": [0.2, 0.05], "population": [82, 18]})
    >>> layer_sentence("Radworth", score, rows)
    "Health area (ICB): 82% of Radworth's residents are in Health Area North; the other 18% are in Health Area East."
    """
    label, noun = score["layer_label"], counted.noun
    people = rows.loc[rows["population"] > 0]
    if people.empty:
        return f"{label}: none of {place_name}'s {noun} are in an area of this layer."
    first = people.iloc[0]
    if score["relationship"] == "inside one area":
        return (
            f"{label}: all of {place_name}'s {noun} are in {first['area_name']}, "
            f"where they are {format_share(first['area_share'])} of its {noun}."
        )
    if score["relationship"] == "made of whole areas":
        return f"{label}: {place_name} is made of {len(people)} whole areas, so its figures add up exactly from theirs."
    parts = [f"{format_share(first['place_share'])} of {place_name}'s {noun} are in {first['area_name']}"]
    rest = people.iloc[1:]
    if len(rest) == 1:
        parts.append(f"the other {format_share(rest['place_share'].iloc[0])} are in {rest['area_name'].iloc[0]}")
    else:
        shown = rest.head(3)
        listed = ", ".join(f"{format_share(s)} in {n}" for n, s in zip(shown["area_name"], shown["place_share"]))
        others = rest.iloc[3:]
        if not others.empty:
            listed += f" and {format_share(others['place_share'].sum())} in {len(others)} more"
        parts.append(f"the other {format_share(rest['place_share'].sum())} are spread over {len(rest)} areas ({listed})")
    return f"{label}: " + "; ".join(parts) + "."


def _lower_first(label: str) -> str:
    """A layer's label inside a sentence: its first letter in lower case, unless it opens with an acronym."""
    return label if label[:3].isupper() else label[:1].lower() + label[1:]


def split_lead(place_name: str, scores: pd.DataFrame) -> str:
    """The sentence opening the layer sentences: how many geographies split the place, and what that means."""
    split = scores.loc[scores["relationship"].str.startswith("split")]
    if split.empty:
        return f"{place_name} lines up with every other geography: each area either contains it or lies wholly inside it."
    return (
        f"{place_name} is split by {len(split)} of the {len(scores)} other geographies: "
        + ", ".join(_lower_first(label) for label in split["layer_label"])
        + ". Figures published for those areas do not describe the place, and the place's own figures cannot be "
        "added up from theirs."
    )


def largest_gap_sentence(worst: pd.Series, decimals: int) -> str:
    """The worked example's largest gap between an apportioned figure and the one built from small areas."""
    return (
        f"The largest gap: {worst['method_label']} gives {worst['area_name']} "
        f"{format_value(worst['value'], '', decimals)} against "
        f"{format_value(worst['value'] - worst['difference'], '', decimals)} "
        f"built from small areas ({format_change(worst['difference'], '', decimals + 1)}); "
        f"{format_share(worst['split_share'])} of its residents or land came from districts it shares."
    )


def other_way_round_sentence(meta: pd.Series, place_name: str) -> str:
    """The sentence introducing the place's own figure apportioned from health areas."""
    short = meta["short_name"] if isinstance(meta["short_name"], str) and meta["short_name"] else meta["name"]
    return (
        f"The other way round: had {short} been published only for health areas, {place_name}'s own figure "
        "would have to be apportioned from them:"
    )


def apportioned_place_sentence(place_name: str, value: float, difference: float, lower: float, upper: float,
                               decimals: int) -> str:
    """What apportioning from health areas by residents would make of the place's own figure (``value``,
    ``difference`` from the figure built from small areas), and whether it stays within the interval of
    that figure (``lower`` to ``upper``)."""
    inside = lower <= value <= upper
    return (
        f"Apportioned from health areas by residents, {place_name} would read {format_value(value, '', decimals)} "
        f"instead of {format_value(value - difference, '', decimals)} ({format_change(difference, '', decimals + 1)}), "
        + ("within" if inside else "outside")
        + " the interval of its own figure: "
        + ("here the method changes little." if inside else "here the method changes the conclusion.")
    )


def custom_boundary_lines(place_name: str, info: dict, comparator_method: str) -> list[str]:
    """How a user's own boundary was matched to small areas and what best fit misplaces.

    Parameters
    ----------
    place_name : str
    info : dict
        The place's entry of the store manifest's ``custom_places`` (written by
        :func:`diagnostics.geography.custom_boundary.custom_place_store`).
    comparator_method : str
        How the place's comparators were chosen.
    """
    lines = [
        f"{place_name} was drawn from the file {info['file']} and matched to {format_value(info['n_small_areas'], '', 0)} "
        "small areas by best fit (each small area whose representative point lies inside the boundary).",
        f"{format_share(info['misplaced_share'])} of the residents counted are misplaced by best fit: about "
        f"{format_value(info['residents_outside'], '', 0)} counted live outside the boundary and about "
        f"{format_value(info['residents_left_out'], '', 0)} living inside it are in small areas counted elsewhere "
        "(assuming residents are spread evenly over each small area's land).",
        "Its indicators are built from small-area counts (numerators and denominators summed, intervals "
        f"recomputed); it is compared with {comparator_method}.",
    ]
    return lines + list(info.get("notes", []))
