"""Numbers no database could hold, in a URL or its query string, are the request's error (404 or
400), never a 500."""
from __future__ import annotations

import pytest

from tests.inspect.conftest import client_as

HUGE = "9" * 25


@pytest.mark.parametrize("path, expected", [
    (f"/inspect/actions/{HUGE}", 404),
    (f"/inspect/inspections/{HUGE}", 404),
    (f"/inspect/photos/{HUGE}", 404),
    (f"/inspect/form?visit=SRV-C01:{HUGE}", 404),
    ("/inspect/form?visit=SRV-C01:²", 404),
    (f"/inspect/form?point={HUGE}&checklist=SRV-C01", 404),
    (f"/inspect/form?assignment={HUGE}", 404),
    (f"/admin/points?district={HUGE}", 400),
    (f"/instruments/TRN-Q01?version={HUGE}", None),
])
def test_impossible_numbers_are_not_a_500(app, field, make_user, path, expected):
    make_user("adel", "admin", "a strong pass phrase")
    client = client_as(app, "adel" if path.startswith(("/admin", "/instruments")) else "sara")
    response = client.get(path)
    assert response.status_code < 500, (path, response.status_code)
    if expected is not None:
        assert response.status_code == expected, (path, response.status_code)
