"""The vocabulary every layer of the toolkit shares: age bands, sexes, industry sections, layers and
their labels, polarities, value types and domains.

It imports nothing, so the statistics, the store and the sections can all use it.
"""

from __future__ import annotations

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_STARTS",
    "SEXES",
    "SIC_SECTIONS",
    "SPEND_SERVICES",
    "SPEND_BODY_TYPES",
    "KNOWN_LAYERS",
    "layer_label",
    "plural_label",
    "POLARITIES",
    "VALUE_TYPES",
    "DOMAINS",
    "BROAD_INDUSTRY_GROUPS",
    "BUSINESS_SIZE_CLASSES",
]

#: Five-year age bands as ONS and PHE publish them: 0, 1-4, 5-9, ..., 85-89, 90+ (20 bands).
AGE_BANDS: tuple[str, ...] = ("0", "1-4") + tuple(f"{a}-{a + 4}" for a in range(5, 90, 5)) + ("90+",)
#: The first age (years) of each band in :data:`AGE_BANDS`.
AGE_BAND_STARTS: tuple[int, ...] = (0, 1) + tuple(range(5, 95, 5))
SEXES = ("F", "M")
#: SIC 2007 sections.
SIC_SECTIONS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTU")
#: ONS's 17 broad industry groups of business counts (UK Business Counts; "UK business: activity,
#: size and location"), keyed by the SIC 2007 divisions each groups; they are not SIC sections.
BROAD_INDUSTRY_GROUPS: dict[str, str] = {
    "01-03": "Agriculture, forestry and fishing",
    "05-39": "Production",
    "41-43": "Construction",
    "45": "Motor trades",
    "46": "Wholesale",
    "47": "Retail",
    "49-53": "Transport and storage (incl. postal)",
    "55-56": "Accommodation and food services",
    "58-63": "Information and communication",
    "64-66": "Finance and insurance",
    "68": "Property",
    "69-75": "Professional, scientific and technical",
    "77-82": "Business administration and support",
    "84": "Public administration and defence",
    "85": "Education",
    "86-88": "Health",
    "90-99": "Arts, entertainment, recreation and other services",
}
#: Business size classes by employment (the EU and ONS convention): size class -> the employment
#: size bands ONS publishes that make it up.
BUSINESS_SIZE_CLASSES: dict[str, tuple[str, ...]] = {
    "micro (0-9)": ("0-4", "5-9"),
    "small (10-49)": ("10-19", "20-49"),
    "medium (50-249)": ("50-99", "100-249"),
    "large (250+)": ("250+",),
}

#: Layers the toolkit knows by name, with a label for people. A store may hold others: any
#: lower-case identifier is a valid layer name.
KNOWN_LAYERS: dict[str, str] = {
    "small_area": "Small area",
    "neighbourhood": "Neighbourhood",
    "ward": "Ward",
    "district": "District",
    "county": "County / combined authority",
    "region": "Region",
    "country": "Country",
    "health_area": "Health area (ICB)",
    "police_force": "Police force area",
    "ttwa": "Travel-to-work area",
    "economic_partnership": "Economic partnership",
    "university_catchment": "University catchment",
}
POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
VALUE_TYPES = ("proportion", "rate", "dsr", "ratio", "mean", "count", "score", "currency", "years")
DOMAINS = ("population", "economy", "growth", "health", "deprivation", "public_money")
#: Service areas of public spending: MHCLG's 13 Revenue Outturn (RSX) service groups, in the order of
#: the RSX form, then ``nhs`` for an integrated care board's NHS England allocation. Key -> label.
SPEND_SERVICES: dict[str, str] = {
    "education": "Education services",
    "highways_transport": "Highways and transport",
    "childrens_social_care": "Children's social care",
    "adult_social_care": "Adult social care",
    "public_health": "Public health",
    "housing": "Housing (general fund)",
    "cultural": "Cultural and related",
    "environmental_regulatory": "Environmental and regulatory",
    "planning_development": "Planning and development",
    "police": "Police",
    "fire_rescue": "Fire and rescue",
    "central": "Central services",
    "other": "Other services",
    "nhs": "NHS (ICB allocation)",
}
#: Kinds of public body that spend in a place. Key -> label.
SPEND_BODY_TYPES: dict[str, str] = {
    "district": "District council",
    "county": "County council",
    "unitary": "Unitary council",
    "metropolitan": "Metropolitan borough",
    "london_borough": "London borough",
    "police": "Police and crime commissioner",
    "fire": "Fire and rescue authority",
    "combined_authority": "Combined authority",
    "gla": "Greater London Authority",
    "national_park": "National park authority",
    "waste": "Waste authority",
    "other_authority": "Other authority",
    "icb": "Integrated care board",
}
#: Labels of layers that real stores add beyond :data:`KNOWN_LAYERS`.
MORE_LAYER_LABELS: dict[str, str] = {
    "nhs_region": "NHS region",
    "sub_icb": "Sub-ICB location",
}


def layer_label(layer: str) -> str:
    """A layer's name for people ("District", "Health area (ICB)", "NHS region").

    A layer the toolkit does not know by name is labelled from its identifier
    (``fire_authority`` -> "Fire authority").

    >>> layer_label("ttwa"), layer_label("fire_authority")
    ('Travel-to-work area', 'Fire authority')
    """
    return KNOWN_LAYERS.get(layer) or MORE_LAYER_LABELS.get(layer) or layer.replace("_", " ").capitalize()


def plural_label(label: str) -> str:
    """A layer's label in the plural, lower case, for sentences ("District" -> "districts",
    "Health area (ICB)" -> "health areas", "County / combined authority" -> "counties / combined authorities").

    >>> plural_label("Health area (ICB)"), plural_label("County / combined authority")
    ('health areas', 'counties / combined authorities')
    """
    words = label.split(" (")[0].lower()
    parts = [w.strip() for w in words.split("/")]
    return " / ".join(p[:-1] + "ies" if p.endswith("y") else p + "s" for p in parts)
