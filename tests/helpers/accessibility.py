"""axe-core over a page in Chromium: the page and every frame in it (each map is a frame of its own).

axe-core is the copy bundled by the ``axe-playwright-python`` package (no download). It runs in each
frame separately, its frames option off, so each finding is reported once, under the title of the
document it is in. Findings of serious or critical impact fail a test; the others are printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe

#: The impacts that fail a test (axe-core's scale: minor, moderate, serious, critical).
FAILING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class Violation:
    """One axe-core rule broken in one document, with the elements that break it."""

    document: str
    rule: str
    impact: str
    help: str
    elements: tuple[str, ...]

    def __str__(self) -> str:
        shown = "; ".join(self.elements[:5]) + (f"; and {len(self.elements) - 5} more" if len(self.elements) > 5 else "")
        return f"[{self.impact}] {self.rule} in {self.document!r}: {self.help} ({len(self.elements)} elements: {shown})"


def axe_violations(page) -> list[Violation]:
    """Every axe-core violation in the page and in each of its frames."""
    axe = Axe()
    found = []
    for frame in page.frames:
        frame.evaluate(axe.axe_script)
        result = frame.evaluate("axe.run(document, {resultTypes: ['violations'], iframes: false})")
        document = frame.title() or frame.url
        for v in result["violations"]:
            elements = tuple(" ".join(map(str, node["target"])) for node in v["nodes"])
            found.append(Violation(document, v["id"], v["impact"] or "", v["help"], elements))
    return found


def check_accessible(page, what: str) -> list[Violation]:
    """Fail on any violation of serious or critical impact in ``page``; print the others (pytest -s).

    Returns the violations of lesser impact.
    """
    violations = axe_violations(page)
    failing = [v for v in violations if v.impact in FAILING_IMPACTS]
    others = [v for v in violations if v.impact not in FAILING_IMPACTS]
    for v in others:
        print(f"{what}: {v}")
    assert not failing, f"{what} breaks axe-core rules of serious or critical impact:\n" + "\n".join(map(str, failing))
    return others
