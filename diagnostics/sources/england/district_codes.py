"""Move the district codes of a past year to the current (2025) ones.

ONS's code-change list (:class:`~diagnostics.sources.england.lookups.CodeChanges`) covers 2018 to
2025; a table of every district code with its active successor (``LADCD``, ``LADCD_ACTIVE``: the
hierarchy file) also carries the earlier re-codings (Hertfordshire's four districts, 2018-20;
Gateshead and Northumberland, 2013). Both are followed, renames and mergers alike: this module is
for *counts* (people, deaths), which may be summed into a successor; rates may not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diagnostics.sources.england.context import ImportContext
from diagnostics.sources.england.lookups import CodeChanges, read_csv

__all__ = ["DistrictCodes", "district_codes"]


@dataclass
class DistrictCodes:
    """Old district code -> current district code, and which old codes were merged into another.

    Attributes
    ----------
    current : set of str
        The current district codes.
    changes : CodeChanges
        ONS's code-change list (renames and mergers).
    active : dict
        Old code -> its active successor, from the hierarchy file (empty without one).
    """

    current: set[str]
    changes: CodeChanges
    active: dict[str, str] = field(default_factory=dict)

    def successor(self, code: str) -> str | None:
        """The current district a code's area is now part of (itself when current), or None."""
        seen = set()
        while code not in self.current and code not in seen:
            seen.add(code)
            nxt = self.changes.current(code)
            if nxt == code:
                nxt = self.active.get(code, code)
            code = nxt
        return code if code in self.current else None

    def merged_into(self, codes) -> dict[str, str]:
        """Of ``codes``, those whose successor holds other codes' areas too: code -> successor."""
        successors = {c: self.successor(c) for c in codes}
        counts: dict[str, int] = {}
        for s in successors.values():
            if s:
                counts[s] = counts.get(s, 0) + 1
        return {c: s for c, s in successors.items() if s and counts[s] > 1}


def district_codes(ctx: ImportContext) -> DistrictCodes:
    """The current districts of the import and every way to reach them from an older code."""
    active: dict[str, str] = {}
    for ds in ctx.all_of("hierarchy", "la_all_codes"):
        table = read_csv(ds.path, usecols=lambda c: c.strip() in ("LADCD", "LADCD_ACTIVE"))
        if {"LADCD", "LADCD_ACTIVE"} <= set(table.columns):
            pairs = table.dropna()
            active.update({old: new for old, new in zip(pairs["LADCD"], pairs["LADCD_ACTIVE"]) if old != new})
    return DistrictCodes(set(ctx.hierarchy["district_code"]), ctx.changes, active)
