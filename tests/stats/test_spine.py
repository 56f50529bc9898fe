"""diagnostics.stats.spine: the range of areas a Fingertips spine chart draws."""

import numpy as np
import pandas as pd
import pytest

from diagnostics.exceptions import InvalidParameter
from diagnostics.stats import spine_statistics


def test_spine_statistics_orient_worst_and_best_by_polarity():
    values = pd.Series([5.0, 10, 15, 20, 25])
    assert spine_statistics(values, "lower_is_better") == {"worst": 25.0, "q25": 20.0, "median": 15.0, "q75": 10.0,
                                                             "best": 5.0}
    assert spine_statistics(values, "higher_is_better") == {"worst": 5.0, "q25": 10.0, "median": 15.0, "q75": 20.0,
                                                              "best": 25.0}
    assert np.isnan(spine_statistics(pd.Series([np.nan]), "neutral")["median"])


def test_spine_statistics_name_a_polarity_it_does_not_know():
    with pytest.raises(InvalidParameter, match=r"The 'polarity' parameter of spine_statistics must be one of"):
        spine_statistics(pd.Series([1.0, 2.0]), "up")
