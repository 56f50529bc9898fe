"""Rendering shared by every section: charts, Fingertips charts, maps, tables, HTML pieces, the
palette, the stylesheet and the offline assets that let every page draw with the network cut.

Knows no section and no store table: a view hands it data, it hands back something to show.
"""
