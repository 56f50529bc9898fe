"""Figures the synthetic economy is calibrated on, each with the file and statistic it comes from.

The figures were computed once from the public ONS files listed beside each constant (England,
current prices) with a throwaway script; the files themselves are not part of the repository.
Where the shared UK data had no suitable file, the figure is a rounded published value and the
comment says so. Shares are fractions (0-1), money in pounds unless stated.
"""

from __future__ import annotations

#: Base year of the level constants below (GVA per job, sector shares).
BASE_YEAR = 2013

# --- Sector structure -------------------------------------------------------------------------
#: Share of England's GVA by SIC 2007 section, 2013.
#: Source: itl3_gva_by_industry_current_prices.csv (ONS regional GVA by industry, current prices),
#: sum over the 133 English ITL3 areas of the section rows, 2013 column, divided by the section total.
#: The file gives A+B and D+E together: A+B (0.76%) is split 0.51/0.25 and D+E (2.81%) 1.75/1.06
#: (an assumption, after the UK Blue Book's proportions less Scotland's offshore oil and gas).
#: L includes owner-occupiers' imputed rent, as the published balanced GVA does. U (extraterritorial)
#: has no GVA in regional accounts; a token 0.01% gives its few jobs a value.
GVA_SHARE_2013: dict[str, float] = {
    "A": 0.0051, "B": 0.0025, "C": 0.1047, "D": 0.0175, "E": 0.0106, "F": 0.0570, "G": 0.1032,
    "H": 0.0418, "I": 0.0274, "J": 0.0672, "K": 0.0934, "L": 0.1297, "M": 0.0763, "N": 0.0485,
    "O": 0.0480, "P": 0.0616, "Q": 0.0719, "R": 0.0150, "S": 0.0168, "T": 0.0016, "U": 0.0001,
}

#: Nominal GVA growth by section, ratio 2022 / 2013 (England).
#: Source: itl3_gva_by_industry_current_prices.csv, England sum of 2022 over 2013 by section (AB and
#: DE rows used for both of their sections; T's value used for U).
GVA_GROWTH_2013_2022: dict[str, float] = {
    "A": 1.589, "B": 1.589, "C": 1.243, "D": 1.026, "E": 1.026, "F": 1.562, "G": 1.464, "H": 1.227,
    "I": 1.643, "J": 1.496, "K": 1.429, "L": 1.412, "M": 1.630, "N": 1.554, "O": 1.429, "P": 1.389,
    "Q": 1.485, "R": 1.353, "S": 1.480, "T": 1.213, "U": 1.213,
}

#: Share of employee jobs by section, Great Britain, 2022 (rounded published BRES figures: no
#: employment-by-industry file is in the shared UK data, so these are not computed here). B is
#: England's (about 0.12%), not Great Britain's 0.2%, which includes Scotland's oil and gas.
EMPLOYMENT_SHARE_2022: dict[str, float] = {
    "A": 0.016, "B": 0.0012, "C": 0.076, "D": 0.005, "E": 0.007, "F": 0.049, "G": 0.140,
    "H": 0.050, "I": 0.079, "J": 0.046, "K": 0.033, "L": 0.018, "M": 0.089, "N": 0.090,
    "O": 0.042, "P": 0.083, "Q": 0.132, "R": 0.024, "S": 0.019, "T": 0.001, "U": 0.0002,
}

#: Annual employment growth by section, 2013-2022 (fraction a year; rounded from BRES/Workforce
#: Jobs changes, an assumption of the same standing as :data:`EMPLOYMENT_SHARE_2022`).
EMPLOYMENT_GROWTH: dict[str, float] = {
    "A": 0.000, "B": -0.025, "C": -0.003, "D": 0.005, "E": 0.010, "F": 0.015, "G": -0.003,
    "H": 0.018, "I": 0.012, "J": 0.030, "K": 0.000, "L": 0.020, "M": 0.025, "N": 0.015,
    "O": 0.005, "P": 0.005, "Q": 0.015, "R": 0.008, "S": -0.005, "T": 0.000, "U": 0.000,
}

#: Spread of local sector growth: standard deviation of log(GVA 2022 / GVA 2013) across English
#: ITL3 areas, median over sections (itl3_gva_by_industry_current_prices.csv: 0.12-0.76, median 0.25).
LOCAL_GROWTH_SD_2013_2022 = 0.25

#: Location quotients in GVA: 95th percentile across English ITL3 areas is 1.5-2.8 by section and
#: 77% of ITL3 areas have at least one section with LQ > 2 (same file, 2022).
SHARE_OF_AREAS_WITH_LQ_ABOVE_2 = 0.77

# --- Productivity ---------------------------------------------------------------------------------
#: GVA per filled job, England, 2013 and 2021 (pounds, current prices).
#: Source: itl2_itl3_gva_per_filled_job_2002_2021.csv, row TLB (England).
GVA_PER_JOB_ENGLAND = {2013: 51_113.0, 2021: 61_310.0}
#: GVA per filled job across English ITL3 areas, 2021: 5th, 50th and 95th percentiles (same file).
GVA_PER_JOB_ITL3_2021_P5_P50_P95 = (44_167.0, 54_167.0, 82_077.0)

#: Filled jobs per resident aged 16-64, England (about 31 million jobs for 35.5 million residents
#: aged 16-64 in 2022; rounded, ONS jobs density).
JOBS_DENSITY_ENGLAND = 0.87

# --- Labour market (England, from the ONS Explore Local Statistics files) ---------------------------
#: Employment rate 16-64 (fraction), England. Source: ons_els_employment_rate.csv, England rows.
#: District 5th-95th percentiles 2023: 66.2%-85.6% (median 77.6%). 2024 repeats 2023.
EMPLOYMENT_RATE_ENGLAND: dict[int, float] = {
    2013: 0.715, 2014: 0.725, 2015: 0.738, 2016: 0.742, 2017: 0.751, 2018: 0.754, 2019: 0.760,
    2020: 0.756, 2021: 0.751, 2022: 0.758, 2023: 0.760, 2024: 0.760,
}
#: Claimant count as a fraction of residents 16-64, England. Source: ons_els_claimant_count.csv.
#: District 5th-95th percentiles 2019: 1.0%-4.4% (median 2.1%).
CLAIMANT_RATE_ENGLAND: dict[int, float] = {
    2013: 0.034, 2014: 0.024, 2015: 0.018, 2016: 0.018, 2017: 0.018, 2018: 0.021, 2019: 0.026,
    2020: 0.054, 2021: 0.055, 2022: 0.038, 2023: 0.036, 2024: 0.040,
}
#: Gross median weekly pay of resident employees, England (pounds).
#: Source: ons_els_gross_median_weekly_pay.csv. District 5th-95th percentiles 2023: 497-726 (median
#: 574); the published 95% interval half-width is a median of about 10% of the value at district level.
MEDIAN_WEEKLY_PAY_ENGLAND: dict[int, float] = {
    2013: 421.4, 2014: 421.6, 2015: 429.0, 2016: 442.1, 2017: 453.9, 2018: 465.7, 2019: 483.0,
    2020: 484.3, 2021: 510.0, 2022: 536.6, 2023: 577.7, 2024: 619.6,
}
#: Coefficient of variation of a district's survey median pay (ASHE-like), fraction.
PAY_SURVEY_CV = 0.05
#: Residents 16-64 qualified to level 3+, England (fraction). Source:
#: ons_els_qualifications_level_3_or_above.csv gives 2022 (66.4%) and 2023 (67.4%); earlier years
#: extend the published NVQ3+ trend of about one point a year (an assumption). Districts 2023:
#: 5th-95th percentiles 51.4%-81.7%.
LEVEL3_ENGLAND: dict[int, float] = {
    2013: 0.565, 2014: 0.575, 2015: 0.586, 2016: 0.597, 2017: 0.608, 2018: 0.619, 2019: 0.630,
    2020: 0.641, 2021: 0.652, 2022: 0.664, 2023: 0.674, 2024: 0.680,
}
#: Effective sample size of an APS-like district estimate (persons): about 500-1 500. Published
#: district intervals (ons_els_employment_rate.csv, 2023) have a median half-width of several points.
SURVEY_SAMPLE_RANGE = (500, 1500)

# --- Business demography ----------------------------------------------------------------------------
#: Enterprise births and deaths per active enterprise, England (fraction). 2019-2024 from
#: ons_els_business_demography.csv (England rows); 2013-2018 are rounded values from ONS Business
#: Demography bulletins (no file in the shared data covers them).
BIRTH_RATE_ENGLAND: dict[int, float] = {
    2013: 0.130, 2014: 0.143, 2015: 0.142, 2016: 0.146, 2017: 0.131, 2018: 0.131, 2019: 0.128,
    2020: 0.117, 2021: 0.125, 2022: 0.117, 2023: 0.111, 2024: 0.112,
}
DEATH_RATE_ENGLAND: dict[int, float] = {
    2013: 0.098, 2014: 0.096, 2015: 0.098, 2016: 0.116, 2017: 0.120, 2018: 0.116, 2019: 0.106,
    2020: 0.105, 2021: 0.112, 2022: 0.121, 2023: 0.109, 2024: 0.099,
}
#: Survival of enterprises born in year t to years t+1 ... t+5, England (ons_els_business_demography.csv,
#: births of 2019-2022: 1-year 93.5%, 2-year 71%, 3-year 54%, 4-year 44%, 5-year 38%).
SURVIVAL_ENGLAND = (0.935, 0.71, 0.54, 0.44, 0.38)
#: Active enterprises per resident: 2.58 million enterprises in England, 2022
#: (business_demography_harmonised/active_firmdemography_2017_2022_long.csv) for 56.5 million
#: residents (itl_total_resident_population_apr2024.csv): one per 22 residents; the synthetic register
#: keeps one per 25 (the brief's scale).
ENTERPRISES_PER_RESIDENT = 1 / 25
#: Share of active enterprises with 10+ employees, England 2017-2022: 9.3%-9.7%
#: (active10plus_ over active_ firm demography files).
SHARE_10_PLUS = 0.095
#: High-growth enterprises as a share of enterprises with 10+ employees, England 2017-2022: 3.9%-5.1%
#: (highgrowth_ over active10plus_ files; district 5th-95th percentiles 2022: 2.0%-5.8%).
HIGH_GROWTH_SHARE = 0.045

#: Annual death hazard of a firm by age (years since founding: 0, 1, 2, 3, 4, 5+), derived from
#: :data:`SURVIVAL_ENGLAND` (h_a = 1 - S_{a+1} / S_a; the tail is set to the long-run rate).
DEATH_HAZARD_BY_AGE = (0.065, 0.24, 0.24, 0.185, 0.135, 0.07)

# --- Firm register (assumptions: rounded from ONS UK Business: activity, size and location) ------
#: Mean employment per enterprise by section (persons), used to turn job shares into firm shares.
MEAN_FIRM_SIZE: dict[str, float] = {
    "A": 3.0, "B": 20.0, "C": 20.0, "D": 25.0, "E": 15.0, "F": 4.0, "G": 8.0, "H": 8.0, "I": 9.0,
    "J": 5.0, "K": 10.0, "L": 4.0, "M": 4.0, "N": 9.0, "O": 80.0, "P": 25.0, "Q": 20.0, "R": 6.0,
    "S": 4.0, "T": 1.5, "U": 20.0,
}
#: Turnover over GVA by section (gross output / value added, rounded from the ONS Annual Business
#: Survey; an assumption), used to give firms a turnover from their district's GVA per job.
TURNOVER_TO_GVA: dict[str, float] = {
    "A": 2.5, "B": 2.0, "C": 3.0, "D": 5.0, "E": 2.5, "F": 2.5, "G": 5.0, "H": 2.5, "I": 2.0,
    "J": 2.0, "K": 1.8, "L": 1.6, "M": 1.8, "N": 1.8, "O": 1.5, "P": 1.3, "Q": 1.5, "R": 2.0,
    "S": 1.8, "T": 1.0, "U": 1.0,
}
