"""A metro station with TRN-Q01 and SRV-Q04 open for collection, and helpers to answer."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveyor.models import Instrument, SurveyLink
from surveyor.service_points.importer import import_points
from surveyor.service_points.windows import set_window

POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          "MET-01,ایستگاه میدان شهدا,Shohada Square station,محطة ميدان الشهداء,8,36.2878,59.6153,TRN-Q01;SRV-Q04\n")


@pytest.fixture
def station(loaded):
    """Links by instrument code, with TRN-Q01 open everywhere (SRV-Q04 left closed)."""
    session = loaded.session
    import_points(session, POINTS)
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    set_window(session, metro.id, True)
    session.commit()
    return {link.instrument.code: link.token for link in session.scalars(select(SurveyLink))}


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


GOOD_ANSWERS = {"overall": "4", "headway": "2", "punctuality": "dk", "crowding": "3", "wait_minutes": "۱۲",
                "recommend": "8", "rider_type": "foreign_visitor", "comment": "قطارها <b>شلوغ</b> است"}
