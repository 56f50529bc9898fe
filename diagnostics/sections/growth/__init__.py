"""The growth-firms section: OECD-Eurostat high-growth firms, where they are, and a model of growth potential.

Analysis (typed results, no rendering): :mod:`~.analysis` (a session's results, and a map of the
modules below it), :mod:`~.register`, :mod:`~.classify`, :mod:`~.rates`, :mod:`~.sectors`,
:mod:`~.hot_spots`, :mod:`~.features`, :mod:`~.model`, :mod:`~.scoring` and :mod:`~.headline`
(benchmark rows). Page (views of those results): :mod:`~.page` (the views, in order), :mod:`~.tables`,
:mod:`~.charts`, :mod:`~.maps`, :mod:`~.model_views`, :mod:`~.published` (without a firm register),
:mod:`~.notices`; narrative (sentences tied to figures): :mod:`~.narrative`.
"""
