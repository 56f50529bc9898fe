"""The spine chart's summary of an indicator across areas, as OHID Fingertips draws it.

Fingertips' spine chart shows, for each indicator, the range of every area of a layer: the worst and
best values and the quartiles between them, oriented by the indicator's polarity so that the best
end is always on the right.

References
----------
Office for Health Improvement and Disparities. *Fingertips: technical guidance*, "Spine chart"
(https://fingertips.phe.org.uk/profile/guidance).
"""

from __future__ import annotations

import pandas as pd

from diagnostics.stats._validation import check_polarity

__all__ = ["spine_statistics"]


def spine_statistics(values: pd.Series, polarity: str) -> dict:
    """Worst, 25th percentile, median, 75th percentile and best of one indicator's area values.

    "Worst" and "best" follow the polarity: for ``lower_is_better`` the worst is the highest value
    and the 25th percentile is the quartile nearer the worst end (the 75th percentile of the
    values); for ``neutral``, worst and best are the lowest and highest.

    >>> spine_statistics(pd.Series([1.0, 2, 3, 4, 5]), "lower_is_better")
    {'worst': 5.0, 'q25': 4.0, 'median': 3.0, 'q75': 2.0, 'best': 1.0}
    """
    check_polarity(polarity, "spine_statistics")
    v = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if v.empty:
        return dict.fromkeys(("worst", "q25", "median", "q75", "best"), float("nan"))
    low, q1, med, q3, high = (float(x) for x in v.quantile([0, 0.25, 0.5, 0.75, 1.0]))
    if polarity == "lower_is_better":
        return {"worst": high, "q25": q3, "median": med, "q75": q1, "best": low}
    return {"worst": low, "q25": q1, "median": med, "q75": q3, "best": high}
