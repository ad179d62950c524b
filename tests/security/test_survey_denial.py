"""Pentest finding M1: anyone could stop collection at a point with about 2 requests a second.

The per-link limit counted every POST before anything was checked: 121 junk POSTs without a
valid token made a genuine citizen's next submission a 429, and their answers were lost. Now
only posts carrying a genuine page of that link count towards the link; junk has its own limit
per address; and a citizen who is refused is told so in their language, answers kept."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyor.models import Response
from tests.conftest import GOOD_ANSWERS, form_token
from tests.security.conftest import browser_at


def stored(db):
    return db.session.scalar(select(func.count()).select_from(Response))


@pytest.mark.parametrize("junk_from", ["198.51.100.66", "192.0.2.10"], ids=["attacker", "same-address"])
def test_130_junk_posts_do_not_turn_a_citizen_away(app, db, station, clock, junk_from):
    url = f"/s/{station['TRN-Q01']}?lang=fa"
    citizen = browser_at(app, "192.0.2.10")
    page = citizen.get(url).get_data(as_text=True)
    attacker = browser_at(app, junk_from)
    junk = [attacker.post(url, data={**GOOD_ANSWERS, "form_token": token}).status_code
            for token in ["", "forged", "x" * 40] * 44]  # 132 posts within a minute
    assert set(junk[:60]) == {400} and set(junk[60:]) == {429}  # junk has its own limit per address
    over = attacker.post(url, data={**GOOD_ANSWERS, "form_token": "forged"}).get_data(as_text=True)
    assert form_token(over) == "forged"  # and past it mints no new page token
    clock(minutes=1)
    sent = citizen.post(url, data={**GOOD_ANSWERS, "form_token": form_token(page)})
    assert sent.status_code == 303 and stored(db) == 1


def test_another_links_genuine_page_counts_as_junk_not_against_this_link(app, db, station, loaded):
    """A page of another link (here one of another point's questionnaire) is no page of this one."""
    from surveyor.models import Instrument
    from surveyor.service_points.windows import set_window
    other = db.session.scalar(select(Instrument).where(Instrument.code == "SRV-Q04"))
    set_window(db.session, other.id, True)
    db.session.commit()
    app.config["LINK_RATE_LIMIT"] = "2 per minute"
    url = f"/s/{station['TRN-Q01']}?lang=en"
    attacker = browser_at(app, "198.51.100.67")
    foreign = form_token(attacker.get(f"/s/{station['SRV-Q04']}").get_data(as_text=True))
    assert [attacker.post(url, data={**GOOD_ANSWERS, "form_token": foreign}).status_code
            for _ in range(5)] == [400] * 5
    citizen = browser_at(app, "192.0.2.11")
    statuses = [citizen.post(url, data={**GOOD_ANSWERS,
                                        "form_token": form_token(citizen.get(url).get_data(as_text=True))}).status_code
                for _ in range(2)]
    assert statuses == [303, 303] and stored(db) == 2


@pytest.mark.parametrize("lang, said", [
    ("fa", "پاسخ‌های شما در زیر نگه داشته شده است"),
    ("ar", "إجاباتك محفوظة أدناه"),
    ("en", "Your answers are kept below"),
])
def test_a_citizen_refused_by_the_link_limit_keeps_their_answers_in_their_language(app, db, station, lang, said):
    app.config["LINK_RATE_LIMIT"] = "1 per minute"
    url = f"/s/{station['TRN-Q01']}?lang={lang}"
    first, second = browser_at(app, "192.0.2.20"), browser_at(app, "192.0.2.21")
    pages = [form_token(b.get(url).get_data(as_text=True)) for b in (first, second)]
    assert first.post(url, data={**GOOD_ANSWERS, "form_token": pages[0]}).status_code == 303
    refused = second.post(url, data={**GOOD_ANSWERS, "comment": "my own words", "form_token": pages[1]})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert said in body and "my own words" in body and 'name="form_token" value="' + pages[1] in body
    assert 'class="survey-form"' in body and stored(db) == 1  # the survey itself, not a staff error page
