"""Which column of an analyst's firm register holds which field, for the exports analysts bring.

Companies House (Basic Company Data: ``CompanyNumber``, ``CompanyName``, ``RegAddress.PostCode``,
``IncorporationDate``, ``SICCode.SicText_1``), Bureau van Dijk FAME (``Registered number``,
``Company name``, ``Primary UK SIC (2007) code``, ``Number of employees 2022``, ``Turnover th GBP
2022``...) and Beauhurst (``Companies House ID``, ``Latitude``, ``Longitude``, ``Headcount 2021``,
``Turnover (£) 2021``...) name the same fields differently. :func:`resolve_columns` finds each field
by its known names (case, spaces and punctuation ignored), by yearly columns ("... 2022") for
employment and turnover in wide layouts, and by the analyst's own ``--map COLUMN=FIELD``; when a
required field is found nowhere, :class:`~diagnostics.exceptions.ImportFailed` names the columns
left unmapped, what was expected and the ``--map`` that fixes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diagnostics.exceptions import ImportFailed

__all__ = ["FIELDS", "ColumnMap", "resolve_columns", "parse_mapping"]

#: Every field of a register, with the column names it is known by (normalised: lower case, words only).
FIELDS: dict[str, tuple[str, ...]] = {
    "firm_id": ("firm id", "id", "companynumber", "company number", "registered number", "companies house id",
                "company registration number", "crn", "bvd id number"),
    "name": ("name", "companyname", "company name", "firm name"),
    "sic": ("sic", "sic code", "siccode sictext 1", "primary uk sic 2007 code", "uk sic 2007 code", "sic codes",
            "sic 2007 code"),
    "founded": ("founded", "year founded", "incorporationdate", "incorporation date", "date of incorporation"),
    "small_area_code": ("small area code", "lsoa", "lsoa code", "lsoa11cd", "lsoa 2011 code", "lsoa11"),
    "latitude": ("latitude", "lat", "registered address latitude"),
    "longitude": ("longitude", "lon", "long", "lng", "registered address longitude"),
    "x": ("x", "easting", "oseast1m"),
    "y": ("y", "northing", "osnrth1m"),
    "postcode": ("postcode", "regaddress postcode", "r o full postcode", "registered postcode", "postal code"),
    "year": ("year", "financial year", "accounts year"),
    "employment": ("employment", "employees", "number of employees", "headcount"),
    "turnover": ("turnover", "turnover th gbp", "turnover 000", "turnover gbp 000"),
    "turnover_pounds": ("turnover gbp", "turnover pounds"),
}
#: Fields a register must give (a location is any of small_area_code, latitude/longitude, x/y).
REQUIRED = ("firm_id", "employment")
_YEARLY = {  # wide layouts: a field and a year in one heading ("Number of employees 2022")
    "employment": re.compile(r"^(number of employees|employees|employment|headcount)\s+((?:19|20)\d\d)$"),
    "turnover": re.compile(r"^turnover\s+(th gbp|gbp 000|000|thousand)\s+((?:19|20)\d\d)$"),
    "turnover_pounds": re.compile(r"^turnover\s+(gbp|pounds)?\s*((?:19|20)\d\d)$"),
}


def _normal(column: str) -> str:
    """A heading as words: "RegAddress.PostCode" -> "regaddress postcode", "Turnover (£) 2021" -> "turnover gbp 2021"."""
    text = str(column).replace("£", " gbp ").lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


@dataclass
class ColumnMap:
    """Where each field of a register is.

    Attributes
    ----------
    fields : dict
        Field -> the register's column (long layout, or a field given once per firm).
    yearly : dict
        "employment", "turnover" or "turnover_pounds" -> {year: column} (wide layout).
    unmapped : list of str
        Columns that hold no field.
    """

    fields: dict[str, str] = field(default_factory=dict)
    yearly: dict[str, dict[int, str]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)

    @property
    def has_location(self) -> bool:
        return ("small_area_code" in self.fields or {"latitude", "longitude"} <= set(self.fields)
                or {"x", "y"} <= set(self.fields))

    @property
    def is_wide(self) -> bool:
        return "employment" in self.yearly


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``["Reg No=firm_id", ...]`` as {column: field}.

    Raises
    ------
    ImportFailed
        For a pair without "=" or a field that is not one of :data:`FIELDS`.
    """
    mapping = {}
    for pair in pairs or []:
        column, sep, name = pair.rpartition("=")
        if not sep or not column.strip():
            raise ImportFailed("--map", f"{pair!r} is not COLUMN=FIELD (for example --map 'Reg No=firm_id')")
        if name.strip() not in FIELDS:
            raise ImportFailed("--map", f"{name.strip()!r} in {pair!r} is not a field of a firm register; the fields are "
                                        f"{', '.join(FIELDS)}")
        mapping[column.strip()] = name.strip()
    return mapping


def resolve_columns(columns: list[str], mapping: dict[str, str], file: str) -> ColumnMap:
    """Find each field of a register among its columns (the analyst's ``mapping`` first).

    Parameters
    ----------
    columns : list of str
        The register's headings as read.
    mapping : dict
        Column -> field, from ``--map`` (:func:`parse_mapping`).
    file : str
        The register's file, for messages.

    Returns
    -------
    ColumnMap

    Raises
    ------
    ImportFailed
        When a mapped column is not in the file, or a required field (firm id, employment by year, a
        location) is found nowhere: the message lists the unmapped columns, what was expected and the
        ``--map COLUMN=FIELD`` fix.
    """
    absent = [c for c in mapping if c not in columns]
    if absent:
        raise ImportFailed(file, f"--map names column(s) {absent} that are not in the file; its columns are {columns}")
    found = ColumnMap()
    known = {alias: name for name, aliases in FIELDS.items() for alias in aliases}
    for column in columns:
        if column in mapping:
            found.fields.setdefault(mapping[column], column)
            continue
        words = _normal(column)
        yearly = next(((name, int(m.group(2))) for name, pattern in _YEARLY.items() if (m := pattern.match(words))), None)
        if yearly:
            found.yearly.setdefault(yearly[0], {})[yearly[1]] = column
        elif words in known and known[words] not in found.fields:
            found.fields[known[words]] = column
        else:
            found.unmapped.append(column)
    missing = [name for name in REQUIRED if name not in found.fields and name not in found.yearly]
    if "employment" in found.fields and "year" not in found.fields and not found.is_wide:
        missing.append("year")
    if not found.has_location:
        missing.append("a location (small_area_code, or latitude and longitude, or x and y)")
    if missing:
        example = found.unmapped[0] if found.unmapped else "COLUMN"
        raise ImportFailed(file, (
            f"no column gives {', '.join(missing)}. Columns not recognised: {found.unmapped or 'none'}. Expected a "
            "firm id, employment by year (a year and an employment column, or one column per year such as "
            "'Number of employees 2022') and a location; name the register's own columns with "
            f"--map COLUMN=FIELD, for example --map '{example}=firm_id' (fields: {', '.join(FIELDS)})"))
    return found
