"""The alerts page's query: alerts filtered by district, instrument, kind and status, newest
first, a page at a time; and who may see and change which kinds."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..models import ALERT_KINDS, ALERT_STATUSES, Alert, Instrument, ServicePoint

PER_PAGE = 50
# Supervisors run the field teams: a silent point (a torn poster) is theirs to fix; drops and
# bursts are read from citizens' answers, which are for research staff only.
KINDS_BY_ROLE = {"researcher": ALERT_KINDS, "admin": ALERT_KINDS, "supervisor": ("silence",)}


@dataclass
class AlertFilters:
    district: int | None = None
    instrument: str | None = None
    kind: str | None = None
    status: str | None = "open"  # None: every status

    @classmethod
    def from_args(cls, args) -> "AlertFilters":
        """Filters from the query string; a value that is not one of the choices is ignored
        (the page shows every value of that filter), never an error page."""
        district = args.get("district", "")
        status = args.get("status", "open")
        return cls(district=int(district) if district.isdecimal() and 1 <= int(district) <= 13 else None,
                   instrument=(args.get("instrument") or "").strip().upper()[:16] or None,
                   kind=args.get("kind") if args.get("kind") in ALERT_KINDS else None,
                   status=status if status in ALERT_STATUSES else None)

    def arguments(self) -> dict:
        return {"district": self.district, "instrument": self.instrument, "kind": self.kind,
                "status": self.status or "all"}


@dataclass
class AlertPage:
    alerts: list
    page: int
    pages: int
    total: int


def alert_page(session, filters: AlertFilters, kinds: tuple[str, ...], page: int = 1,
               per_page: int = PER_PAGE) -> AlertPage:
    query = (select(Alert).join(ServicePoint, ServicePoint.id == Alert.service_point_id)
             .join(Instrument, Instrument.id == Alert.instrument_id).where(Alert.kind.in_(kinds)))
    if filters.district:
        query = query.where(ServicePoint.district == filters.district)
    if filters.instrument:
        query = query.where(Instrument.code == filters.instrument)
    if filters.kind:
        query = query.where(Alert.kind == filters.kind)
    if filters.status:
        query = query.where(Alert.status == filters.status)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    alerts = list(session.scalars(query.order_by(Alert.detected_at.desc(), Alert.id.desc())
                                  .offset((page - 1) * per_page).limit(per_page)))
    return AlertPage(alerts, page, pages, total)
