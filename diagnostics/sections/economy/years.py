"""The years of an industry comparison: the parameters' form, and the years both industry tables hold.

Every message names the parameter as the notebook spells it (``start_year``, ``end_year``, ``year``),
what is allowed (the years held) and the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from diagnostics.exceptions import InvalidParameter

__all__ = ["common_years", "year_span", "year_parameters", "check_years"]


def common_years(local: pd.DataFrame, national: pd.DataFrame) -> list[int]:
    """The years both industry tables hold, in order."""
    return sorted(set(int(y) for y in local["year"].unique()) & set(int(y) for y in national["year"].unique()))


def year_span(years) -> str:
    """``"2015 to 2024"``, one year alone, or ``"no years"``.

    >>> year_span([2024, 2015, 2019]), year_span(["2020"]), year_span([])
    ('2015 to 2024', '2020', 'no years')
    """
    years = sorted(years)
    if not years:
        return "no years"
    return str(years[0]) if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _as_year(value, name: str, func: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, str)):
        raise InvalidParameter(f"The {name!r} parameter of {func} must be a year such as 2015, or None; got {value!r}.")
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise InvalidParameter(f"The {name!r} parameter of {func} must be a year such as 2015, or None; got {value!r}.")
        value = int(value.strip())
    return int(value)


def year_parameters(start_year=None, end_year=None) -> tuple[int | None, int | None]:
    """Check the form of the ``start_year`` and ``end_year`` parameters before any data is read.

    Returns
    -------
    (int or None, int or None)
        The years as integers (a string of digits is accepted: command lines pass strings).

    Raises
    ------
    InvalidParameter
        For a value that is not a year (or None), or a start year not before the end year.

    >>> year_parameters("2015", 2020)
    (2015, 2020)
    """
    start = _as_year(start_year, "start_year", "shift_share")
    end = _as_year(end_year, "end_year", "shift_share")
    if start is not None and end is not None and start >= end:
        raise InvalidParameter(
            f"The 'start_year' parameter of shift_share must be before 'end_year'; got start_year={start} "
            f"and end_year={end}."
        )
    return start, end


def check_years(local: pd.DataFrame, national: pd.DataFrame, start_year, end_year, *, name: str = "start_year",
                func: str = "shift_share") -> tuple[int, int | None]:
    """Validate the years of an industry comparison against the years both tables hold.

    ``start_year`` None means the first common year; ``end_year`` None the last. With
    ``end_year=None`` and ``name="year"`` only one year is checked (``None`` means the latest).

    Raises
    ------
    InvalidParameter
        For a value that is not a year, a year the tables do not both hold (the message lists the
        years there are), or a start year not before the end year.
    """
    years = common_years(local, national)
    if not years:
        raise InvalidParameter(f"{func} needs a year that both industry tables hold; they share none.")
    consecutive = len(years) > 1 and years == list(range(years[0], years[-1] + 1))
    span = f"{years[0]} to {years[-1]}" if consecutive else ", ".join(map(str, years))
    if name == "year":
        year = _as_year(start_year, "year", func)
        year = years[-1] if year is None else year
        if year not in years:
            raise InvalidParameter(f"The 'year' parameter of {func} must be a year with industry figures ({span}); got {year}.")
        return year, None
    start = _as_year(start_year, "start_year", func)
    end = _as_year(end_year, "end_year", func)
    for label, value in (("start_year", start), ("end_year", end)):
        if value is not None and value not in years:
            raise InvalidParameter(
                f"The {label!r} parameter of {func} must be a year with industry figures for the place "
                f"and the country ({span}); got {value}. Choose another year, or leave it None."
            )
    start = years[0] if start is None else start
    end = years[-1] if end is None else end
    if start >= end:
        raise InvalidParameter(
            f"The 'start_year' parameter of {func} must be before 'end_year'; got start_year={start} and "
            f"end_year={end}. Industry figures cover {span}."
        )
    return start, end
