"""Time the statistics on a realistic load: ~300 districts x 30 indicators, and life tables.

Run: ``.venv/bin/python benchmarks/bench_stats.py``. Random data; prints one line per step.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from timing import timed

from diagnostics.conventions import AGE_BANDS
from diagnostics.stats import (
    compare_to_benchmark,
    count_ci,
    dsr_table,
    funnel_significance,
    life_expectancy_table,
    mean_ci,
    proportion_ci,
    rate_ci,
    trend,
)

DISTRICTS, INDICATORS, YEARS, SEXES = 300, 30, 12, ("F", "M")


def main() -> None:
    rng = np.random.default_rng(2024)
    cells = DISTRICTS * INDICATORS
    denominators = rng.integers(1_000, 300_000, cells).astype(float)
    numerators = rng.binomial(denominators.astype(int), rng.uniform(0.01, 0.6, cells)).astype(float)
    polarity = rng.choice(["higher_is_better", "lower_is_better", "neutral"], cells)
    print(f"{DISTRICTS} districts x {INDICATORS} indicators = {cells} values; numpy {np.__version__}, pandas {pd.__version__}")
    total = time.perf_counter()
    for confidence in (0.95, 0.998):
        tag = f"{confidence:.1%}"
        value, lo, hi = timed(f"proportion_ci (Wilson), {tag}", proportion_ci, numerators, denominators, confidence)
        timed(f"rate_ci (Byar / exact), {tag}", rate_ci, numerators, denominators, 100_000, confidence)
        timed(f"count_ci, {tag}", count_ci, numerators, confidence)
        timed(f"compare_to_benchmark, {tag}", compare_to_benchmark, value, lo, hi, value.mean(), polarity)
    timed("mean_ci (t) over 9000 rows of 50 values", mean_ci, rng.normal(size=(cells, 50)))
    by_indicator = numerators.reshape(INDICATORS, DISTRICTS), denominators.reshape(INDICATORS, DISTRICTS)

    def funnels():
        return [funnel_significance(x, n) for x, n in zip(*by_indicator)]

    timed("funnel_significance (exact binomial), 30 indicators x 300", funnels)

    def trends():
        x = rng.binomial(1000, 0.2, (cells, 5))
        return [trend(row / 1000, range(5), row, [1000] * 5, "lower_is_better") for row in x[:1000]]

    timed("trend (chi-squared for trend), 1000 series", trends)

    groups = DISTRICTS * YEARS * len(SEXES)
    base_pop = np.array([7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
                         56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]) / 3
    base_deaths = np.array([17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
                            1605, 1936, 1937]) / 3
    scale = np.repeat(rng.uniform(0.3, 3.0, groups), 20)
    long = pd.DataFrame(
        {
            "area_code": np.repeat(np.arange(DISTRICTS), YEARS * len(SEXES) * 20),
            "year": np.tile(np.repeat(np.arange(2010, 2010 + YEARS), len(SEXES) * 20), DISTRICTS),
            "sex": np.tile(np.repeat(list(SEXES), 20), DISTRICTS * YEARS),
            "age_band": np.tile(AGE_BANDS, groups),
            "population": np.round(np.tile(base_pop, groups) * scale),
        }
    )
    long["deaths"] = rng.poisson(np.tile(base_deaths, groups) * scale)
    long["events"] = rng.poisson(long["deaths"] / 4)
    keys = ["area_code", "year", "sex"]
    le = timed(f"life_expectancy_table, {DISTRICTS} x {YEARS} years x 2 sexes = {groups} tables", life_expectancy_table, long, keys)
    timed(f"dsr_table (Dobson), {groups} groups", dsr_table, long, keys)
    print(f"{'total':<66} {time.perf_counter() - total:8.3f} s")
    print(f"life tables calculated: {int(le['note'].isna().sum() / 20)} of {groups}")


if __name__ == "__main__":
    main()
