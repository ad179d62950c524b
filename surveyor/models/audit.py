"""The audit log: who did what to which record, and when."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime, utcnow


class AuditEvent(Base):
    """One recorded action. ``user_id`` is empty for the command line and the system."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict | None] = mapped_column(JSON)


def audit(session, action: str, target: str | None = None, user_id: int | None = None, **details) -> AuditEvent:
    """Add an audit event to ``session``; it is committed with the change it records."""
    event = AuditEvent(action=action, target=target, user_id=user_id, details=details or None)
    session.add(event)
    return event
