"""One client id sent several times at once (a tablet's retries racing each other, or two tabs):
every answer is a success and exactly one inspection is stored."""
from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select

from surveyor.models import Assignment, Inspection
from tests.inspect.conftest import all_pass, login, visit_fields

SENDS = 6


def post_all_at_once(url: str, body: bytes, cookie: str, n: int) -> list[int]:
    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def send():
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Cookie": cookie, "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded"})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=send) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return statuses


def test_parallel_sends_of_one_client_id_store_one_inspection(client, db, field, live_server):
    login(client, "reza")
    data = {**visit_fields(client, field), **all_pass(field["definition"])}
    cookie = f"session={client.get_cookie('session').value}"
    statuses = post_all_at_once(f"{live_server}/inspect/submit", urllib.parse.urlencode(data).encode(), cookie, SENDS)
    assert sorted(statuses) == [200] * (SENDS - 1) + [201], statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 1
    assert db.session.scalar(select(Assignment.completed_at)) is not None
