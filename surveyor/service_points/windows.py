"""Opening and closing instruments for collection, everywhere or at one service point."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..models import ChecklistNotForCitizens, CollectionWindow, Instrument, audit


def saved_window(session, instrument_id: int, service_point_id: int | None = None) -> CollectionWindow | None:
    """The window saved for exactly this scope (one point, or every point when ``service_point_id``
    is None), or None: a point without its own window follows the general one."""
    return session.scalar(select(CollectionWindow).where(
        CollectionWindow.instrument_id == instrument_id, CollectionWindow.service_point_id.is_(None)
        if service_point_id is None else CollectionWindow.service_point_id == service_point_id))


def set_window(session, instrument_id: int, is_open: bool, service_point_id: int | None = None,
               opens_on: dt.date | None = None, closes_on: dt.date | None = None,
               user_id: int | None = None) -> CollectionWindow:
    """Open or close a questionnaire (at all points, or at one); replaces the previous setting.
    Saving the setting that is already saved changes nothing (no write, no audit entry).
    Checklists are not collected from citizens: :class:`ChecklistNotForCitizens` (a ValueError)."""
    instrument = session.get(Instrument, instrument_id)
    if instrument is not None and instrument.kind == "checklist":
        raise ChecklistNotForCitizens(instrument.code)
    if opens_on and closes_on and opens_on > closes_on:
        raise ValueError("the start date must not be after the end date")
    window = saved_window(session, instrument_id, service_point_id)
    if window is not None and (window.is_open, window.opens_on, window.closes_on) == (is_open, opens_on, closes_on):
        return window
    if window is None:
        window = CollectionWindow(instrument_id=instrument_id, service_point_id=service_point_id)
        session.add(window)
    window.is_open, window.opens_on, window.closes_on = is_open, opens_on, closes_on
    session.flush()
    audit(session, "collection.open" if is_open else "collection.close", f"instrument:{instrument_id}",
          user_id=user_id, service_point_id=service_point_id,
          opens_on=opens_on.isoformat() if opens_on else None, closes_on=closes_on.isoformat() if closes_on else None)
    return window


def follow_general_window(session, instrument_id: int, service_point_id: int, user_id: int | None = None) -> bool:
    """Drop the point's own window, so that the instrument's general one decides there again;
    False when the point had none (nothing changes)."""
    window = saved_window(session, instrument_id, service_point_id)
    if window is None:
        return False
    session.delete(window)
    session.flush()
    audit(session, "collection.follow_general", f"instrument:{instrument_id}", user_id=user_id,
          service_point_id=service_point_id)
    return True


def window_allows(window, today: dt.date) -> bool:
    """Whether a window (anything with is_open, opens_on, closes_on; None: no window) is open today."""
    if window is None or not window.is_open:
        return False
    return (window.opens_on is None or window.opens_on <= today) and \
        (window.closes_on is None or today <= window.closes_on)


def effective_window(windows: dict, service_point_id: int):
    """The window that decides at a point, from an instrument's windows by point id (None: the
    general one): the point's own if it has one, otherwise the general one."""
    return windows.get(service_point_id) or windows.get(None)


def collecting(session, instrument_id: int, service_point_id: int, today: dt.date) -> bool:
    """Is the instrument taking answers at this point today? The point's own window decides if
    it has one, otherwise the instrument's general window; with neither, it is closed."""
    windows = {w.service_point_id: w for w in session.scalars(select(CollectionWindow).where(
        CollectionWindow.instrument_id == instrument_id,
        (CollectionWindow.service_point_id == service_point_id) | CollectionWindow.service_point_id.is_(None)))}
    return window_allows(effective_window(windows, service_point_id), today)
