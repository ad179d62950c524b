"""An inspector with an assignment of SRV-C01 (public toilet hygiene) at one site, and helpers
that fill the checklist form the way a tablet would."""
from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from surveyor.formatting import local_today
from surveyor.instruments.versions import latest_version_id, version_definition
from surveyor.models import Instrument, ServicePoint
from tests.conftest import csrf_token

SITE = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
        "WC-07,سرویس بهداشتی بوستان ملت,Mellat Park toilets,,7,,,SRV-C01\n"
        "WC-09,سرویس بهداشتی میدان بار,Bar Square toilets,,9,,,SRV-C01\n"
        "PK-09,بوستان بهاران,Baharan Park,,9,,,SRV-C02\n")  # a park: not a place for the toilet checklist


def jpeg(with_exif: bool = True) -> bytes:
    image = Image.new("RGB", (640, 480), (200, 40, 40))
    buffer = io.BytesIO()
    exif = Image.Exif()
    if with_exif:
        exif[0x010F] = "TabletMaker"      # Make
        exif[0x8825] = {2: (36.0, 17.0, 0.0)}  # GPS info
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def field(app, db, loaded, make_user):
    """Users, sites and an assignment: a dict of what the tests need. ``points`` are the two public
    toilets (linked to SRV-C01), the first one assigned to Reza; ``park`` uses another checklist."""
    from surveyor.inspect.assignments import create_assignments
    from surveyor.service_points.importer import import_points
    supervisor = make_user("sara", "supervisor", "a strong pass phrase")
    inspector = make_user("reza", "inspector", "a strong pass phrase")
    inspector.supervisor_id = supervisor.id
    other = make_user("omid", "inspector", "a strong pass phrase")
    import_points(db.session, SITE)
    checklist = db.session.scalar(select(Instrument).where(Instrument.code == "SRV-C01"))
    points = list(db.session.scalars(select(ServicePoint).where(ServicePoint.code.like("WC-%"))
                                     .order_by(ServicePoint.code)))
    park = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "PK-09"))
    create_assignments(db.session, instrument_id=checklist.id, points=points[:1], inspector_id=inspector.id,
                       first_due=local_today(app.config["DISPLAY_TIMEZONE"]), assigned_by=supervisor.id)
    db.session.commit()
    version_id = latest_version_id(checklist.id)
    return {"supervisor": supervisor, "inspector": inspector, "other": other, "checklist": checklist,
            "points": points, "park": park, "version_id": version_id, "definition": version_definition(version_id)[1]}


def login(client, username):
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": username,
                                "password": "a strong pass phrase"})


def all_pass(definition: dict) -> dict:
    """Form fields for a perfect inspection."""
    data = {}
    for item in definition["items"]:
        p = f"item-{item['code']}-"
        if item["role"] == "site":
            data[p + "value"] = str(item["options"][0]["value"]) if item["type"] == "choice" else "3"
        elif item["type"] == "pass_fail":
            data[p + "result"] = "pass"
        elif item["type"] == "rating4":
            data[p + "rating"] = "4"
        else:
            bounds = item["acceptable"]
            data[p + "measured"] = str(bounds.get("min", bounds.get("max")))
    return data


def visit_fields(client, field, assignment=True) -> dict:
    url = "/inspect/form?" + (f"assignment={field_assignment_id(field)}" if assignment
                              else f"checklist=SRV-C01&point={field['points'][1].id}")
    html = client.get(url).get_data(as_text=True)
    return {"csrf_token": csrf_token(html), "client_id": str(uuid.uuid4()), "version_id": str(field["version_id"]),
            "point_id": str(field["points"][0 if assignment else 1].id),
            "assignment_id": str(field_assignment_id(field)) if assignment else "",
            "started_at": dt.datetime.now(dt.timezone.utc).isoformat(), "latitude": "36.2970",
            "longitude": "59.6062", "accuracy": "12"}


def field_assignment_id(field) -> int:
    from surveyor.extensions import db
    from surveyor.models import Assignment
    return db.session.scalar(select(Assignment.id).where(Assignment.inspector_id == field["inspector"].id))


def client_as(app, username: str | None) -> FlaskClient:
    """A separate test client, logged in as ``username`` (None: not logged in)."""
    client = app.test_client()
    if username:
        login(client, username)
    return client
