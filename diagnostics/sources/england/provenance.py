"""Who published what: the store's source name, the licence statement and each publisher's credit line.
"""

from __future__ import annotations

__all__ = ["SOURCE", "OGL_STATEMENT", "OS_STATEMENT", "publisher_credit"]

SOURCE = "england-official"
OGL_STATEMENT = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)."
)
OS_STATEMENT = "Boundaries contain OS data © Crown copyright and database right."


_CREDITS = {
    "ONS": "Office for National Statistics (Open Geography Portal, Explore Local Statistics)",
    "MHCLG": "Ministry of Housing, Communities and Local Government (English Indices of Deprivation 2019)",
    "OHID": "Office for Health Improvement and Disparities (Fingertips)",
    "MHCLG finance": "Ministry of Housing, Communities and Local Government (Revenue Outturn; council tax levels)",
    "NHS England": "NHS England (allocations to integrated care boards)",
    "HM Treasury": "HM Treasury (Public Expenditure Statistical Analyses: Country and Regional Analysis)",
}


def publisher_credit(code: str) -> str:
    return _CREDITS.get(code, code)
