"""The database model, one module per aggregate."""
from .alert import ALERT_KINDS, ALERT_STATUSES, Alert
from .api_token import ApiToken
from .audit import AuditEvent, audit
from .base import Base, utcnow
from .collection import ChecklistNotForCitizens, CollectionWindow, PointInstrument, SurveyLink
from .inspection import Assignment, CorrectiveAction, Inspection, InspectionItem, InspectionPhoto
from .instrument import ImmutableVersionError, Instrument, InstrumentVersion
from .rate_counter import RateCounter
from .response import Answer, Response
from .service_point import DISTRICTS, ServicePoint
from .user import ROLES, User

__all__ = [
    "ChecklistNotForCitizens", "ALERT_KINDS", "ALERT_STATUSES", "Alert",
    "ApiToken", "Assignment", "CorrectiveAction", "AuditEvent", "audit", "Base", "utcnow", "CollectionWindow", "PointInstrument", "SurveyLink", "Inspection", "InspectionItem", "InspectionPhoto",
    "ImmutableVersionError", "Instrument", "InstrumentVersion", "Answer", "Response", "RateCounter", "DISTRICTS",
    "ServicePoint", "ROLES", "User",
]
