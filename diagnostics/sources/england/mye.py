"""ONS mid-year population estimates by local authority, sex and single year of age (table MYE2), in
every layout ONS has published them: the workbooks of mid-2015 to mid-2023 (.xls and .xlsx; the
sheets are named "Persons UK", "MYE2 - All", "MYE2-All", "MYE2 - M", "MYE2 - Males"..., and the
header row moves from row 3 to row 8) and the CSV exports of one sheet (mid-2014 with two title
lines; mid-2024 persons with none).

A layout is recognised by its content: a header row ``Code, Name, [Geography,] All ages, 0, 1, ...,
90`` (or ``90+``) within the first 15 rows; the sex from the title above it or the sheet's name
(the file's name only when neither says); the year from a title "mid-2015" (the file's name only
for a CSV without titles, which the import report then says).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from diagnostics.conventions import AGE_BAND_STARTS, AGE_BANDS
from diagnostics.sources.england.workbooks import WORKBOOK_SUFFIXES, WorkbookUnreadable, csv_rows, sheet_names, sheets_rows

__all__ = ["MYE_LAYOUT", "MidYearLayout", "MidYearEstimates", "sniff_mid_year_estimates", "read_mid_year_estimates", "to_age_bands"]

#: What a mid-year-estimates sheet must look like, for messages.
MYE_LAYOUT = ("ONS MYE2: a header row 'Code, Name, [Geography,] All ages, 0, 1, ..., 89, 90+' within the first "
              "15 rows, a title naming the year ('mid-2015'), one sheet per sex (persons, males, females)")

_HEADER_SEARCH_ROWS = 15
_YEAR = re.compile(r"mid[-\s]?((?:19|20)\d\d)", re.I)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sex_of(label: str) -> str | None:
    """'F', 'M' or 'P' (persons) from a title or sheet name ("FEMALES", "MYE2 - M", "Persons UK", "MYE2-All")."""
    text = label.lower().strip()
    if re.search(r"\bfemales?\b|(^|[\s-])f$", text):
        return "F"
    if re.search(r"\bmales?\b|(^|[\s-])m$", text):
        return "M"
    if re.search(r"\b(all )?persons\b|(^|[\s-])all$", text):
        return "P"
    return None


def _header_index(rows: list[list]) -> int | None:
    """The row holding 'Code, Name, ..., All ages, 0, 1', or None."""
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        cells = [_text(c).lower() for c in row]
        if cells[:2] == ["code", "name"] and "all ages" in cells and {"0", "1", "89"} <= set(cells):
            return i
    return None


def _title_sex_and_year(rows: list[list], header: int) -> tuple[str | None, int | None]:
    """The sex and year the title lines above the header name ("... Males by single year ..., mid-2016", "FEMALES")."""
    sex = year = None
    for row in rows[:header]:
        first = _text(row[0]) if row else ""
        found_year = _YEAR.search(first)
        if found_year and year is None:
            year = int(found_year.group(1))
        found_sex = re.search(r"^(all persons|persons|males|females)$|:\s*(persons|males|females) by", first, re.I)
        if found_sex and sex is None:
            sex = _sex_of(found_sex.group(found_sex.lastindex))
    return sex, year


@dataclass(frozen=True)
class MidYearLayout:
    """Where the estimates of one sex are: a sheet (None for a CSV) and its header row."""

    sex: str
    sheet: str | None
    header: int


@dataclass
class MidYearEstimates:
    """A recognised mid-year-estimates file: its year, the sheets of each sex, and how the year was known."""

    path: Path
    year: int
    layouts: list[MidYearLayout] = field(default_factory=list)
    year_from_name: bool = False

    @property
    def sexes(self) -> set[str]:
        return {layout.sex for layout in self.layouts}


def _year_from_name(path: Path) -> int | None:
    m = re.search(r"mid[-_]?((?:19|20)\d\d)", path.name, re.I) or re.search(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return int(m.group(1)) if m else None


def sniff_mid_year_estimates(path: str | Path) -> MidYearEstimates | str | None:
    """Recognise a mid-year-estimates workbook or CSV by its content (remembered per file and modification time).

    Returns
    -------
    MidYearEstimates, str or None
        The layout found; a sentence saying why a file that looks like one cannot be used (no year
        anywhere, no sheet by sex); or None when the file is not mid-year estimates at all.
    """
    path = Path(path)
    stat = path.stat()
    return _sniff(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _sniff(path: Path, mtime_ns: int, size: int) -> MidYearEstimates | str | None:
    layouts, year = [], None
    if path.name.lower().endswith(WORKBOOK_SUFFIXES):
        try:
            names = sheet_names(path)
            candidates = [name for name in names if re.search(r"mye\s*2|persons|males|females", name, re.I)]
            first_rows = sheets_rows(path, candidates, max_rows=_HEADER_SEARCH_ROWS)
        except WorkbookUnreadable:
            return None
        for name, rows in first_rows.items():
            header = _header_index(rows)
            if header is None:
                continue
            title_sex, title_year = _title_sex_and_year(rows, header)
            sex = _sex_of(name) or title_sex
            year = year or title_year
            if sex and sex not in {lay.sex for lay in layouts}:
                layouts.append(MidYearLayout(sex, name, header))
        if not layouts:
            return None
    else:
        rows = [list(r) for r in csv_rows(path, max_rows=_HEADER_SEARCH_ROWS)]
        header = _header_index(rows)
        if header is None:
            return None
        sex, year = _title_sex_and_year(rows, header)
        sex = sex or _sex_of(re.sub(r"[_.]", " ", path.stem)) or next(
            (s for word, s in (("female", "F"), ("male", "M"), ("person", "P")) if word in path.name.lower()), None)
        if sex is None:
            return (f"mid-year estimates ({MYE_LAYOUT}) whose sex is named neither in a title nor in the file name; "
                    "add 'persons', 'males' or 'females' to the file name")
        layouts.append(MidYearLayout(sex, None, header))
    from_name = year is None
    year = year or _year_from_name(path)
    if year is None:
        return ("mid-year estimates with no year in a title or the file name (expected a title 'mid-2015'); "
                "add the year to the file name, e.g. 'mye_mid2024.csv'")
    return MidYearEstimates(path, year, layouts, from_name)


def _number(value) -> float:
    if value is None:
        return np.nan
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        return np.nan


def read_mid_year_estimates(found: MidYearEstimates, sexes=("F", "M", "P")) -> pd.DataFrame:
    """The estimates of a recognised file as a long table of single years of age.

    Parameters
    ----------
    found : MidYearEstimates
        From :func:`sniff_mid_year_estimates`.
    sexes : sequence of str, default ("F", "M", "P")
        Which sheets to read (reading persons is wasted when both sexes are there).

    Returns
    -------
    DataFrame
        code, name, sex ("F", "M" or "P"), age (0 to 90; 90 means 90 and over), population (people),
        for every row with a code (UK, countries, regions, counties and districts alike).

    Raises
    ------
    ValueError
        When a sheet's age columns are not 0 to 90 in order, or a count cannot be read as a number.
    """
    frames = []
    layouts = [layout for layout in found.layouts if layout.sex in sexes]
    named = [lay.sheet for lay in layouts if lay.sheet is not None]
    sheets = sheets_rows(found.path, named) if named else {}
    for layout in layouts:
        rows = [list(r) for r in csv_rows(found.path)] if layout.sheet is None else sheets[layout.sheet]
        header = [_text(c).lower() for c in rows[layout.header]]
        ages = [str(a) for a in range(90)] + ["90"]
        age_cols = []
        for age in ages:
            names = (age, "90+") if age == "90" else (age,)
            where = next((i for i, c in enumerate(header) if c in names), None)
            if where is None:
                raise ValueError(f"{found.path.name}: sheet {layout.sheet or '(csv)'} has no column for age {age} "
                                 f"(expected {MYE_LAYOUT})")
            age_cols.append(where)
        body = [r for r in rows[layout.header + 1:] if r and _text(r[0])[:1].isalpha() and re.fullmatch(r"[A-Z]\d{8}", _text(r[0]))]
        codes = [_text(r[0]) for r in body]
        names = [_text(r[1]) for r in body]
        cells = [[r[i] if i < len(r) else None for i in age_cols] for r in body]
        try:  # workbooks hold numbers already; CSV exports hold text such as "1,234"
            values = np.array(cells, dtype=float)
        except (TypeError, ValueError):
            values = np.array([[_number(c) for c in row] for row in cells], dtype=float)
        if np.isnan(values).any():
            bad = codes[int(np.argwhere(np.isnan(values))[0][0])]
            raise ValueError(f"{found.path.name}: sheet {layout.sheet or '(csv)'} has an empty or non-numeric count for {bad}")
        frames.append(pd.DataFrame({
            "code": np.repeat(codes, len(ages)), "name": np.repeat(names, len(ages)), "sex": layout.sex,
            "age": np.tile(np.arange(91), len(codes)), "population": values.ravel(),
        }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["code", "name", "sex", "age", "population"])


def to_age_bands(ages: pd.Series) -> pd.Series:
    """The band of :data:`~diagnostics.conventions.AGE_BANDS` of each single year of age (90 and over -> "90+").

    >>> to_age_bands(pd.Series([0, 1, 4, 5, 89, 90])).tolist()
    ['0', '1-4', '1-4', '5-9', '85-89', '90+']
    """
    index = np.searchsorted(np.asarray(AGE_BAND_STARTS), ages.to_numpy(dtype=int), side="right") - 1
    return pd.Series(np.asarray(AGE_BANDS, dtype=object)[index], index=ages.index)
