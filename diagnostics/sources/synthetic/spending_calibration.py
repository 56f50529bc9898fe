"""The figures that make the synthetic country's public money plausible, measured once on real England.

Measured by ``benchmarks/spend_calibration.py`` (run by hand; the generator never reads the files):

- revenue spending: MHCLG Revenue Outturn, Service Expenditure Summary (RSX) 2021-22 (£ thousand),
  each body's net current expenditure (C7) divided by the residents of its area (ONS mid-2022
  estimates, 2023 geography; counties, police forces and combined authorities summed from their
  districts; a fire authority given its police force's residents where the two share a name). For
  each kind of body and service area: the median across bodies of net spend per head (£), the spread
  (standard deviation of log spend per head across those bodies) and the median share of gross
  expenditure met by income (sales, fees, charges and other income: gross = net / (1 - share));
- council tax: MHCLG Council Tax Requirement data 2022-23 (sheet Data): the median Band D (£) of each
  kind of body, its spread (standard deviation of log Band D), the median parish precepts per Band D,
  and England's tax base (18,473,359 Band D equivalents) per resident (57,106,398 at mid-2022);
- NHS: NHS England's ICB core allocations 2023-24: median £1,631 per head (spread 0.074), primary
  medical care and other delegated budgets left out;
- central government: HM Treasury PESA 2024 Chapter 9 (Country and Regional Analysis), table 9.15:
  England's identifiable spending per head by COFOG function, 2018-19 to 2022-23, and its spread
  across the nine English regions in 2022-23.

Services a kind of body spends less than £1 per head on in the median are left out (a district's
education, a police force's everything but policing and central services).
"""

from __future__ import annotations

__all__ = [
    "CALIBRATION_SOURCE",
    "NET_PER_HEAD",
    "BAND_D",
    "PARISH_BAND_D",
    "TAX_BASE_PER_RESIDENT",
    "ICB_PER_HEAD",
    "REGIONAL_PER_HEAD",
    "REGIONAL_SPREAD",
    "CASH_GROWTH",
]

#: Where the figures below come from, for the synthetic tables' notes.
CALIBRATION_SOURCE = (
    "calibrated on MHCLG Revenue Outturn RSX 2021-22, council tax requirement 2022-23, NHS England ICB "
    "allocations 2023-24 and HM Treasury's Country and Regional Analysis 2024"
)

#: Kind of body -> service -> (median net spend per head £, spread of log spend per head, median
#: income share of gross). RSX 2021-22 over mid-2022 residents; bodies measured: 160 districts,
#: 21 counties, 59 unitaries, 36 metropolitan boroughs, 32 police forces, 20 fire authorities,
#: 8 combined authorities.
NET_PER_HEAD: dict[str, dict[str, tuple[float, float, float]]] = {
    "district": {
        "central": (36.80, 0.532, 0.676),
        "cultural": (20.79, 0.681, 0.373),
        "environmental_regulatory": (42.68, 0.342, 0.401),
        "housing": (15.88, 0.675, 0.360),
        "planning_development": (17.44, 0.859, 0.541),
    },
    "county": {
        "education": (494.76, 0.206, 0.059),
        "highways_transport": (51.76, 0.141, 0.319),
        "childrens_social_care": (168.48, 0.154, 0.046),
        "adult_social_care": (341.69, 0.138, 0.305),
        "public_health": (57.08, 0.206, 0.038),
        "cultural": (15.11, 0.258, 0.152),
        "environmental_regulatory": (50.67, 0.247, 0.156),
        "planning_development": (6.69, 0.825, 0.387),
        "central": (17.30, 0.861, 0.798),
    },
    "unitary": {
        "education": (517.55, 0.294, 0.092),
        "highways_transport": (43.33, 0.687, 0.474),
        "childrens_social_care": (204.33, 0.454, 0.071),
        "adult_social_care": (342.00, 0.137, 0.298),
        "public_health": (79.39, 0.366, 0.047),
        "housing": (29.00, 0.560, 0.253),
        "cultural": (40.40, 0.496, 0.329),
        "environmental_regulatory": (88.50, 0.347, 0.248),
        "planning_development": (19.11, 0.990, 0.527),
        "central": (50.12, 0.713, 0.686),
    },
    "metropolitan": {
        "education": (708.89, 0.240, 0.088),
        "highways_transport": (28.46, 0.812, 0.461),
        "childrens_social_care": (228.78, 0.195, 0.075),
        "adult_social_care": (326.30, 0.135, 0.335),
        "public_health": (90.09, 0.243, 0.042),
        "housing": (25.42, 0.642, 0.293),
        "cultural": (44.94, 0.335, 0.249),
        "environmental_regulatory": (70.81, 0.326, 0.287),
        "planning_development": (22.94, 0.485, 0.454),
        "central": (61.06, 0.515, 0.705),
    },
    "police": {
        "police": (200.63, 0.191, 0.072),
        "central": (1.12, 1.796, 0.007),
    },
    "fire": {
        "fire_rescue": (38.98, 0.211, 0.035),
    },
    "combined_authority": {
        "highways_transport": (34.62, 0.769, 0.022),
        "education": (15.54, 1.900, 0.004),
        "planning_development": (15.38, 1.088, 0.031),
        "central": (2.96, 1.125, 0.019),
    },
}

#: Kind of body -> (median Band D £, spread of log Band D), council tax 2022-23: shire districts (180),
#: shire counties (24), unitaries (58), metropolitan boroughs (36), police and crime commissioners
#: (37), fire authorities (24), combined authorities (2 mayoral precepts; spread assumed 0.1).
BAND_D: dict[str, tuple[float, float]] = {
    "district": (197.02, 0.216),
    "county": (1468.48, 0.056),
    "unitary": (1661.22, 0.086),
    "metropolitan": (1680.73, 0.081),
    "police": (247.68, 0.122),
    "fire": (80.60, 0.129),
    "combined_authority": (60.98, 0.100),
}

#: Kind of billing authority -> median parish precepts per Band D dwelling (£), 2022-23.
PARISH_BAND_D: dict[str, float] = {"district": 43.80, "unitary": 16.69, "metropolitan": 1.09}

#: Band D equivalents of England's council tax base per resident, 2022-23 (18,473,359 / 57,106,398).
TAX_BASE_PER_RESIDENT = 0.323

#: ICB core allocation per head (£, median) and its spread (log), 2023-24.
ICB_PER_HEAD: tuple[float, float] = (1631.3, 0.074)

#: England's identifiable spending per head (£) by COFOG function and financial year (PESA 2024, 9.15).
REGIONAL_PER_HEAD: dict[str, dict[str, float]] = {
    "General public services": {"2018-19": 93, "2019-20": 105, "2020-21": 141, "2021-22": 137, "2022-23": 125},
    "Public order and safety": {"2018-19": 449, "2019-20": 475, "2020-21": 517, "2021-22": 536, "2022-23": 569},
    "Economic affairs": {"2018-19": 852, "2019-20": 934, "2020-21": 3055, "2021-22": 1453, "2022-23": 1805},
    "Environment protection": {"2018-19": 154, "2019-20": 161, "2020-21": 177, "2021-22": 192, "2022-23": 190},
    "Housing and community amenities": {"2018-19": 147, "2019-20": 179, "2020-21": 172, "2021-22": 188, "2022-23": 216},
    "Health": {"2018-19": 2272, "2019-20": 2431, "2020-21": 3248, "2021-22": 3169, "2022-23": 3064},
    "Recreation, culture and religion": {"2018-19": 96, "2019-20": 102, "2020-21": 126, "2021-22": 120, "2022-23": 122},
    "Education": {"2018-19": 1294, "2019-20": 1318, "2020-21": 1370, "2021-22": 1437, "2022-23": 1543},
    "Social protection": {"2018-19": 3956, "2019-20": 3953, "2020-21": 4293, "2021-22": 4276, "2022-23": 4591},
}

#: Spread (log) of each function's spending per head across England's nine regions, 2022-23.
REGIONAL_SPREAD: dict[str, float] = {
    "General public services": 0.080,
    "Public order and safety": 0.199,
    "Economic affairs": 0.191,
    "Environment protection": 0.365,
    "Housing and community amenities": 0.437,
    "Health": 0.103,
    "Recreation, culture and religion": 0.227,
    "Education": 0.056,
    "Social protection": 0.066,
}

#: Yearly cash growth of the synthetic bodies' spending and Band D. Assumed, not measured from spending:
#: England's average Band D rose 3.5% from 2021-22 (£1,898) to 2022-23 (£1,966) in the CTR data above,
#: and spending rose faster than that with inflation.
CASH_GROWTH = 0.05
