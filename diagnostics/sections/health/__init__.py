"""The health section: life expectancy and mortality, health indicators, inequality by deprivation."""
