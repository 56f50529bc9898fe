"""Constants that make the synthetic country look like England.

Each figure was computed once, by hand, from the open data described in ``ukdata/SOURCES.md``
(OGL v3.0: ONS, MHCLG, OHID). The code never reads those files: the numbers are written down here
with the file and the statistic they come from. Where a figure is not in those files it says so
and gives its published origin ("not in ukdata").

Conventions: percentages are on a 0-100 scale; rates per person-year; lengths in metres; areas
in square metres unless the name says ``_km2``.
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------------
# Small areas and districts
# --------------------------------------------------------------------------------------------------
#: LSOA (2011) usual residents, mid-2015 excluding prisoners: mean 1666, sd 364, 5th pct 1234,
#: 95th pct 2313 over 32 844 LSOAs (iod2019_file6_population_denominators_lsoa11.csv.gz).
SMALL_AREA_POPULATION_MEAN = 1666.0
SMALL_AREA_POPULATION_SD = 364.0
SMALL_AREA_POPULATION_MIN = 1000.0
SMALL_AREA_POPULATION_MAX = 3500.0

#: District (LAD 2019) population, summed from the same file over 317 districts: median 136 258,
#: 10th pct 82 791, 90th pct 317 231 (a log-sd of about 0.5). LSOAs per district: median 82,
#: 5th pct 41, 95th pct 211.
DISTRICT_POPULATION_MEDIAN = 136_258.0
DISTRICT_POPULATION_LOG_SD = 0.50
#: England's 2015 population in the same file: 54 728 204 in 32 844 LSOAs.
ENGLAND_POPULATION_2015 = 54_728_204

#: Mean land area of an English LSOA: about 130 300 km2 / 32 844 = 4.0 km2 (not in ukdata: ONS
#: Standard Area Measurements). Used to size the invented country for a given number of areas.
SMALL_AREA_MEAN_AREA_KM2 = 4.0

# --------------------------------------------------------------------------------------------------
# Deprivation
# --------------------------------------------------------------------------------------------------
#: IMD 2019 LSOA score quantiles (percentile -> score). Not in ukdata: the IoD2019 files there hold
#: ranks and deciles only (File 1/2; the scores are in File 5, absent). Approximate values of the
#: published score distribution (MHCLG IoD2019 File 5: range about 0.5-92.7, strongly right
#: skewed); used only to give synthetic scores a realistic shape.
IMD_SCORE_QUANTILES: dict[float, float] = {
    0.0: 0.5,
    0.01: 2.4,
    0.10: 6.1,
    0.25: 10.2,
    0.50: 16.9,
    0.75: 28.4,
    0.90: 41.8,
    0.99: 64.0,
    1.0: 92.7,
}

# --------------------------------------------------------------------------------------------------
# Age structure
# --------------------------------------------------------------------------------------------------
#: Share of residents in each of the contract's 20 age bands (0, 1-4, 5-9, ..., 85-89, 90+):
#: approximate ONS mid-2019 England estimates (not in ukdata by five-year band). Checked against
#: iod2019_file6 broad bands: median LSOA shares 0-15 = 19 %, 16-59 = 57 %, 60+ = 23 %.
AGE_BAND_SHARES: tuple[float, ...] = (
    1.13, 4.75, 6.15, 5.95, 5.60, 6.20, 6.85, 6.80, 6.55, 6.05,
    6.65, 6.95, 6.55, 5.65, 5.00, 5.05, 3.60, 2.60, 1.60, 0.85,
)
#: Share of residents aged 60+ by IMD decile (1 = most deprived .. 10): 0.179 .. 0.280; aged 0-15:
#: 0.237 .. 0.183 (iod2019_file6 joined to iod2019_file1, LSOA means by decile). Across LSOAs the
#: 60+ share runs from 0.09 (5th pct) to 0.40 (95th pct).
OLDER_SHARE_MOST_DEPRIVED_DECILE = 0.179
OLDER_SHARE_LEAST_DEPRIVED_DECILE = 0.280
OLDER_SHARE_P05 = 0.09
OLDER_SHARE_P95 = 0.40
#: Annual population growth of England 2013-2024, about 0.6 % a year (not in ukdata: ONS MYE).
ANNUAL_POPULATION_GROWTH = 0.006

# --------------------------------------------------------------------------------------------------
# Mortality and life expectancy
# --------------------------------------------------------------------------------------------------
#: Life expectancy at birth, England 2017-19: men 79.7, women 83.3; districts (lower and upper
#: tier) 2017-19: men 74.7-83.2 (5th-95th pct 77.3-82.3), women 79.7-87.0 (81.2-85.4)
#: (ohid_fingertips_trafford_life_expectancy.csv).
LIFE_EXPECTANCY_ENGLAND = {"M": 79.7, "F": 83.3}
#: Slope index of inequality in life expectancy across deprivation deciles of LSOAs, England
#: 2017-19: men 9.5, women 7.5 years; 2020-22: 10.7 and 8.5
#: (ohid_fingertips_trafford_inequality_life_expectancy.csv).
LIFE_EXPECTANCY_SII = {"M": 9.5, "F": 7.5}

#: Gompertz-Makeham age schedule of mortality, m(x) = makeham + a * exp(b * x) per person-year,
#: fitted by this module's author so that a Chiang II life table of the 20 bands gives the
#: England life expectancies above at the median of deprivation (see demography.py).
GOMPERTZ_A = {"M": 3.0e-5, "F": 1.43e-5}
GOMPERTZ_B = {"M": 0.0925, "F": 0.0985}
MAKEHAM = {"M": 1.6e-4, "F": 0.9e-4}
#: Infant mortality rate (deaths under 1 per live birth), England 2019 about 3.9 per 1000 (not in
#: ukdata: ONS child mortality tables); men 4.3, women 3.5.
INFANT_MORTALITY = {"M": 0.0043, "F": 0.0035}
#: Log hazard ratio between the most and the least deprived small area (deprivation quantile 1 vs
#: 0), tuned so that the gap between the top and bottom deciles of small areas is about 9 years for
#: men and 7 for women (close to the SII above). The effect fades after age 75 (see demography.py).
DEPRIVATION_LOG_HAZARD_RATIO = {"M": 1.05, "F": 0.95}
#: Mortality by calendar year relative to 2019 (improvement of about 1 % a year before 2019, the
#: Covid-19 excess of 2020-21: England LE fell 0.8 years for men from 2017-19 to 2020-22 in the
#: Fingertips file above).
MORTALITY_YEAR_FACTOR: dict[int, float] = {
    2013: 1.06, 2014: 1.04, 2015: 1.05, 2016: 1.03, 2017: 1.02, 2018: 1.01, 2019: 1.00,
    2020: 1.14, 2021: 1.10, 2022: 1.04, 2023: 1.00, 2024: 0.98,
}

#: Healthy life expectancy at birth, England (ohid_fingertips_trafford_healthy_life_expectancy.csv):
#: men 63.3 (2015-17) falling to 60.9 (2022-24), women 64.0 to 61.3. Upper-tier authorities
#: 2020-22: men 51.9-71.9 (5th-95th pct 55.5-68.3), women 52.5-72.3 (55.9-69.1). The published 95 %
#: interval half-width for districts 2020-22 has median 3.45 years (ons_els_healthy_life_expectancy.csv).
HLE_ENGLAND_BY_END_YEAR = {
    "M": {2015: 63.4, 2016: 63.4, 2017: 63.3, 2018: 63.3, 2019: 63.2, 2020: 63.1, 2021: 62.7,
          2022: 62.3, 2023: 61.5, 2024: 60.9},
    "F": {2015: 64.1, 2016: 64.1, 2017: 64.0, 2018: 64.1, 2019: 63.7, 2020: 64.0, 2021: 63.7,
          2022: 62.8, 2023: 61.9, 2024: 61.3},
}
HLE_DISTRICT_SD = 3.6
HLE_CI_HALF_WIDTH_MEDIAN = 3.45

# --------------------------------------------------------------------------------------------------
# Prevalence of risk factors and conditions (percent)
# --------------------------------------------------------------------------------------------------
#: Adult smoking (APS), England (ohid_fingertips_trafford_adults_smoking.csv): 18.4 in 2013 falling
#: to 10.4 in 2024; districts 2019: 5th-95th pct 7.8-20.5, 2023: 5.1-17.4.
SMOKING_ENGLAND = {2013: 18.4, 2014: 17.8, 2015: 16.9, 2016: 15.5, 2017: 14.9, 2018: 14.4,
                   2019: 13.9, 2020: 12.8, 2021: 12.1, 2022: 11.5, 2023: 10.9, 2024: 10.4}
SMOKING_DISTRICT_P05_P95_2019 = (7.8, 20.5)
#: Adult obesity (Active Lives), England (ons_els_adult_obesity_prevalence.csv): 22.6 in 2015/16 to
#: 26.6 in 2024/25; districts 2023: 5th-95th pct 16.4-35.9. 2013-14 extrapolated back.
OBESITY_ENGLAND = {2013: 21.9, 2014: 22.3, 2015: 22.6, 2016: 23.1, 2017: 23.1, 2018: 23.5,
                   2019: 24.4, 2020: 25.2, 2021: 25.9, 2022: 26.2, 2023: 26.5, 2024: 26.6}
OBESITY_DISTRICT_P05_P95_2023 = (16.4, 35.9)
#: Physically inactive adults, England (ohid_fingertips_trafford_inactive_adults.csv): 22.3
#: (2015/16), 21.4 (2018/19), 23.4 (2020/21), 21.8 (2024/25); districts 2022/23: 5th-95th pct
#: 15.0-31.3. Before 2015 held at the 2015/16 level.
INACTIVITY_ENGLAND = {2013: 22.5, 2014: 22.4, 2015: 22.3, 2016: 22.2, 2017: 22.2, 2018: 21.4,
                      2019: 22.9, 2020: 23.4, 2021: 22.3, 2022: 22.6, 2023: 22.0, 2024: 21.8}
INACTIVITY_DISTRICT_P05_P95 = (15.0, 31.3)
#: Diabetes on GP registers, 17+ (not in ukdata: NHS Digital QOF): England about 6.2 % in 2013/14
#: rising to 7.7 % in 2023/24; CCGs roughly 4.5-10 %.
DIABETES_ENGLAND = {2013: 6.2, 2014: 6.4, 2015: 6.5, 2016: 6.6, 2017: 6.8, 2018: 6.9,
                    2019: 7.1, 2020: 7.1, 2021: 7.3, 2022: 7.5, 2023: 7.7, 2024: 7.9}
#: Depression on GP registers, 18+ (not in ukdata: NHS Digital QOF): England 6.5 % in 2013/14 rising
#: to 13.2 % in 2022/23; CCGs roughly 7-19 %.
DEPRESSION_ENGLAND = {2013: 6.5, 2014: 7.3, 2015: 8.3, 2016: 9.1, 2017: 9.9, 2018: 10.7,
                      2019: 11.6, 2020: 12.3, 2021: 12.7, 2022: 13.2, 2023: 13.6, 2024: 14.0}
#: Emergency admissions per 100 000 residents (not in ukdata: NHS HES): about 10 000 a year, with a
#: dip of about 15 % in 2020.
EMERGENCY_ADMISSIONS_ENGLAND = {2013: 9500, 2014: 9700, 2015: 9900, 2016: 10100, 2017: 10200,
                                2018: 10400, 2019: 10600, 2020: 9000, 2021: 9900, 2022: 10200,
                                2023: 10400, 2024: 10500}
#: Bad or very bad general health, Census 2021, England 5.2 % (Census 2011: 5.4 %); local
#: authorities roughly 3-9 % (not in ukdata: ONS Census TS037).
BAD_HEALTH_ENGLAND = {2011: 5.4, 2021: 5.2}

#: Log-odds change in prevalence from the least to the most deprived small area (deprivation
#: quantile 0 -> 1), chosen so that district 5th-95th percentile ranges match those above.
PREVALENCE_DEPRIVATION_LOG_ODDS = {
    "smoking_prevalence": 1.2,
    "obesity_prevalence": 0.75,
    "physical_inactivity": 0.85,
    "diabetes_prevalence": 0.75,
    "depression_prevalence": 0.55,
    "bad_health": 1.5,
}
#: Share of adults sampled by the surveys behind smoking, obesity and inactivity (the APS and the
#: Active Lives Survey reach roughly 1-2 % of adults; district intervals are about +/- 3 points).
SURVEY_SAMPLING_FRACTION = 0.012
