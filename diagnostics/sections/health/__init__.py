"""The health section: life expectancy and mortality, health indicators, inequality by deprivation.

Analysis (plain functions of the store and a place; tidy tables or small frozen dataclasses; no rendering):

- ``mortality``: life expectancy and under-75 mortality of every area of a layer, from deaths and populations;
- ``inequality``: the same by local deprivation decile within a place, the SII and the gap (``InequalitySummary``);
- ``analysis``: the measures the store holds, every area of a layer against the country, similar places,
  health areas;
- ``headline``: the headline table (the place against region, country and comparators; ready-made stand-ins);
- ``funnels``: the funnel plots' data (``FunnelData``);
- ``deprivation``: the place's deprivation profile (MHCLG's summaries of the IoD).

Narrative and page (what a reader sees):

- ``narrative``: the findings in plain English (``Finding``);
- ``place_results``: the results of a session's place, computed once per place;
- ``page``: ``VIEWS`` (the notebook and the app tab), ``headline(dx)`` for the summary, findings and methods;
- ``page_tables``, ``page_figures``, ``spine``: the tables, the charts and map, the spine chart.
"""
