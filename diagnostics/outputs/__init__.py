"""Outputs: the warm kernel, the runner (executed notebooks for one place), the report exporter,
the batch (many places, on this machine or a Dask cluster) and the batch's index.

Uses the sections (through the registry and the notebooks); nothing below imports it.
"""
