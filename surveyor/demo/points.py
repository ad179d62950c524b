"""Demo service points: four kinds of place in each of the 13 districts."""
from __future__ import annotations

from sqlalchemy import select

from ..formatting import localize_digits
from ..models import DISTRICTS, ServicePoint

# kind code -> (fa, en, ar) name patterns and the instrument code prefixes answered there
KINDS = {
    "MET": (("ایستگاه قطار شهری منطقه {d}", "Metro station, district {d}", "محطة المترو، المنطقة {d}"), ("TRN",)),
    "PRK": (("بوستان محله‌ای منطقه {d}", "Neighbourhood park, district {d}", "حديقة الحي، المنطقة {d}"), ("SRV", "CUL")),
    "WC": (("سرویس بهداشتی عمومی منطقه {d}", "Public toilet, district {d}", "دورة مياه عامة، المنطقة {d}"), ("SRV",)),
    "OFC": (("دفتر خدمات شهری منطقه {d}", "District service office {d}", "مكتب الخدمات البلدية، المنطقة {d}"), ("CIV", "CUL")),
}
CENTRE = (36.30, 59.60)  # demo coordinates are scattered around this point


def ensure_demo_points(session, rng) -> list[ServicePoint]:
    """Create the 52 demo points that do not exist yet; return all of them."""
    existing = {p.code: p for p in session.scalars(select(ServicePoint))}
    points = []
    for district in DISTRICTS:
        for kind, ((fa, en, ar), _prefixes) in KINDS.items():
            code = f"D{district:02d}-{kind}"
            point = existing.get(code)
            if point is None:
                point = ServicePoint(
                    code=code, district=district, name_fa=fa.format(d=localize_digits(district, "fa")),
                    name_en=en.format(d=district), name_ar=ar.format(d=localize_digits(district, "ar")),
                    latitude=round(CENTRE[0] + rng.normal(0, 0.04), 5),
                    longitude=round(CENTRE[1] + rng.normal(0, 0.05), 5))
                session.add(point)
            points.append(point)
    session.flush()
    return points


def points_for(code: str, points: list[ServicePoint]) -> list[tuple[int, int]]:
    """(id, district) of the demo points where an instrument is answered."""
    prefix = code.split("-")[0]
    kinds = [kind for kind, (_names, prefixes) in KINDS.items() if prefix in prefixes]
    return [(p.id, p.district) for p in points if p.code.split("-")[1] in kinds]
