"""Public money on the tiny store, small enough to check by hand.

The tiny store (tests/helpers/tiny.py) works by hand: small area ``Si`` has 40 x (40 + 2i) residents,
so districts D1 = S1 + S2 (3,440), D2 = S3 + S4 (1,840 + 1,920 = 3,760), D3 (4,080), D4 (4,400); health
area H1 = S1-S3 (5,280) splits D2. On it, ``money_store`` adds public money, in two financial years:

- county K1 over D1 and D2 (7,200 residents): net £7,200 thousand of education in 2022-23, £1,000 a head;
- district councils D1 and D2; D3 made no return in 2022-23;
- the integrated care board of health area H1 (the health area's own code): all of D1 and 1,840 / 3,760
  of D2, £10,560 thousand in 2022-23 (£2,000 a head);
- police force P1 over every district, in 2022-23 only (a body new between years, when another police body,
  P2 over D4 with £10 thousand, has both years);
- national park N1, with a return but no known districts;
- council tax of billing area D1: D1 £200, K1 £1,500, P1 £250 and parishes £40 (£1,990 in all).
"""

from __future__ import annotations

import pandas as pd

from helpers.tiny import SRC

PERIODS = {"2021-22": 2022, "2022-23": 2023}
D2_IN_H1 = 1840 / 3760


def money_tables() -> dict[str, pd.DataFrame]:
    """The five public-money tables of ``money_store`` (see the module docstring)."""
    bodies, areas, spend, tax = [], [], [], []
    kinds = {"K1": ("Kay County Council", "county"), "D1": ("Ashcombe Council", "district"),
             "D2": ("Brackley Vale Council", "district"), "D3": ("Caddington Council", "district"),
             "H1": ("North Integrated Care Board", "icb"), "P1": ("Police and Crime Commissioner for Tinyland", "police"),
             "P2": ("Police and Crime Commissioner for Outland", "police"), "N1": ("Tiny National Park", "national_park")}
    covers = {"K1": {"D1": 1.0, "D2": 1.0}, "D1": {"D1": 1.0}, "D2": {"D2": 1.0}, "D3": {"D3": 1.0},
              "H1": {"D1": 1.0, "D2": D2_IN_H1}, "P1": {d: 1.0 for d in ("D1", "D2", "D3", "D4")},
              "P2": {"D4": 1.0}}
    nets = {"K1": ("education", 7200.0), "D1": ("housing", 344.0), "D2": ("housing", 752.0), "D3": ("housing", 408.0),
            "H1": ("nhs", 10560.0), "P1": ("police", 3076.8), "P2": ("police", 10.0), "N1": ("other", 50.0)}
    for period, year in PERIODS.items():
        scale = 1.0 if period == "2022-23" else 0.9
        for code, (name, kind) in kinds.items():
            if code == "P1" and period == "2021-22":
                continue
            returned = not (code == "D3" and period == "2022-23")
            bodies.append((code, period, year, name, kind, returned, None if returned else "no return received"))
            areas += [(code, period, district, share) for district, share in covers.get(code, {}).items()]
            if returned:
                service, net = nets[code]
                spend.append((code, period, year, service, net * scale * 1.25, net * scale * 0.25, net * scale))
        for code, kind, band_d in (("D1", "district", 200.0), ("K1", "county", 1500.0), ("P1", "police", 250.0),
                                   ("parishes", "parishes", 40.0)):
            if code == "P1" and period == "2021-22":
                continue
            tax.append(("D1", period, year, code, kind, band_d * scale, band_d * scale * 1.0, 1000.0))
    return {
        "spend_bodies": pd.DataFrame(bodies, columns=["body_code", "period", "year", "body_name", "body_type",
                                                      "returned", "note"]).assign(**SRC),
        "spend_body_areas": pd.DataFrame(areas, columns=["body_code", "period", "district_code", "share"]).assign(**SRC),
        "spend": pd.DataFrame(spend, columns=["body_code", "period", "year", "service", "gross", "income", "net"]).assign(**SRC),
        "council_tax": pd.DataFrame(tax, columns=["billing_code", "period", "year", "body_code", "body_type", "band_d",
                                                  "requirement", "tax_base"]).assign(**SRC),
        "regional_spend": pd.DataFrame([("R1", "2022-23", 2023, "Health", 20.0, 2500.0),
                                        ("C1", "2022-23", 2023, "Health", 40.0, 2600.0)],
                                       columns=["region_code", "period", "year", "function", "spend_million",
                                                "per_head"]).assign(**SRC),
    }



__all__ = ["PERIODS", "D2_IN_H1", "money_tables"]
