"""Messy geographies: lookups between layers, overlaps and coterminosity, best fit, apportionment
between layers, and a user's own boundary as a place.

Uses the store and the statistics; knows no section and draws nothing.
"""
