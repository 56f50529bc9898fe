"""Comparators and benchmarks: who a place is compared with, and how it stands against them.

Uses the store and the statistics; knows no section.
"""
