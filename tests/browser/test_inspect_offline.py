"""The inspector's tablet in a real browser: a checklist filled offline with a photo survives a
reload, waits in the outbox and reaches the server exactly once when the network returns."""
from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from surveyor.formatting import local_today
from surveyor.models import Inspection, InspectionPhoto, Instrument, ServicePoint
from tests.browser.conftest import log_in, log_out
from tests.browser.test_survey_browser import axe_script

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
OTHER_TABLETS = {"tablet-landscape": (1024, 768), "tablet-wide": (1280, 800), "tablet-wide-portrait": (800, 1280)}
MASHHAD = {"latitude": 36.2970, "longitude": 59.6062, "accuracy": 12}
SITE = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
        "WC-07,سرویس بهداشتی بوستان ملت,Mellat Park toilets,,7,,,SRV-C01\n"
        "PK-07,بوستان ملت,Mellat Park,,7,,,SRV-C02\n")
PASSWORD = "a strong pass phrase"
FAILED = "waste_bins"          # a pass/fail item that needs a photo and a corrective action when failed
ACTION = "سطل‌های زباله امروز خالی و شسته شوند"
SUBMIT = "form[data-inspection-form] button[type=submit]"

# Reads one object store of the app's IndexedDB, without the photo Blobs (they do not cross to Python).
READ_STORE = """async (store) => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open('surveyor-inspect'); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const rows = await new Promise((ok, fail) => {
    const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error); });
  db.close();
  return rows.map(row => ({client_id: row.client_id, url: row.url || row.form_url, status: row.status,
    errors: row.errors || null, fields: row.fields || null, photos: Object.keys(row.photos || {}),
    files: (row.entries || []).filter(e => e[1] instanceof Blob).map(e => [e[0], e[2], e[1].size])}));
}"""


@pytest.fixture
def assignment(app, db, loaded, make_user):
    """Reza, an inspector, has SRV-C01 (public toilet hygiene) due today at a park in district 7."""
    from surveyor.inspect.assignments import create_assignments
    from surveyor.service_points.importer import import_points
    supervisor = make_user("sara", "supervisor", PASSWORD)
    inspector = make_user("reza", "inspector", PASSWORD)
    inspector.supervisor_id = supervisor.id
    import_points(db.session, SITE)
    checklist = db.session.scalar(select(Instrument).where(Instrument.code == "SRV-C01"))
    point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "WC-07"))
    create_assignments(db.session, instrument_id=checklist.id, points=[point], inspector_id=inspector.id,
                       first_due=local_today(app.config["DISPLAY_TIMEZONE"]), assigned_by=supervisor.id)
    db.session.commit()
    park = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "PK-07"))
    return {"definition": checklist.latest.definition, "site": point.name_fa, "point_id": point.id,
            "park_id": park.id}


@pytest.fixture
def photo(tmp_path) -> Path:
    """A small camera-like JPEG of an overflowing bin."""
    image = Image.new("RGB", (320, 240), (90, 110, 60))
    ImageDraw.Draw(image).rectangle((100, 60, 220, 200), fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    path = tmp_path / "bins.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def tablet(browser):
    return browser.new_context(viewport=TABLET, device_scale_factor=1, has_touch=True, locale="fa-IR",
                               geolocation=MASHHAD, permissions=["geolocation", "background-sync"])


def open_app(context, live_server):
    """Log in, open the inspector's app and wait until it works offline."""
    page = context.new_page()
    # The page's and the service worker's messages, shown when a test fails.
    context.on("console", lambda message: print("console", message.type, message.text))
    context.on("weberror", lambda error: print("error", error.error))
    log_in(page, live_server, "reza", PASSWORD)
    page.goto(f"{live_server}/inspect/")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    wait_until(page, "document.body.dataset.offlineReady === 'true'")
    return page


def fill_checklist(page, definition, photo=None, skip=()):
    """Answer every item as a passing inspection, except FAILED: failed, with a note, an action and the photo."""
    for item in definition["items"]:
        code, kind = item["code"], item["type"]
        if code in skip:
            continue
        p = f"item-{code}-"
        if item["role"] == "site":
            if kind == "choice":
                page.select_option(f"select[name='{p}value']", str(item["options"][0]["value"]))
            else:
                page.fill(f"input[name='{p}value']", "۳")
        elif code == FAILED:
            page.check(f"input[name='{p}result'][value='fail']")
            assert page.is_visible(f"input[name='{p}photo']"), "a failed item shows its photo control"
            page.fill(f"textarea[name='{p}note']", "دو سطل پر و بدون درپوش")
            page.fill(f"textarea[name='{p}action']", ACTION)
            if photo:
                page.set_input_files(f"input[name='{p}photo']", str(photo))
        elif kind == "pass_fail":
            page.check(f"input[name='{p}result'][value='pass']")
        elif kind == "rating4":
            page.check(f"input[name='{p}rating'][value='4']")
        else:
            bounds = item["acceptable"]
            value = bounds.get("min", bounds.get("max"))
            page.fill(f"input[name='{p}measured']", str(value).translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")))


def store(page, name):
    return page.evaluate(READ_STORE, name)


def wait_for(predicate, timeout=10.0, message="condition", page=None):
    """Polls ``predicate``; with ``page``, Playwright's events (routes) are handled meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if page is None:
            time.sleep(0.05)
        else:
            page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting for {message}")


def wait_until(page, expression: str, timeout=30.0):
    """Polls a page expression from Python: Playwright's `wait_for_function` evaluates its string
    inside the page, which the app's Content-Security-Policy (no 'unsafe-eval') refuses."""
    return wait_for(lambda: page.evaluate(expression), timeout, expression, page=page)


def outbox_count(page) -> str | None:
    return page.evaluate("document.querySelector('[data-outbox]').dataset.count")


def inspections(db):
    db.session.expire_all()
    return list(db.session.scalars(select(Inspection)))


def test_offline_inspection_with_photo_survives_a_reload_and_is_stored_once(
        browser, live_server, assignment, db, app, photo, screenshot_dir):
    context = tablet(browser)
    page = open_app(context, live_server)
    assert page.locator("a[data-assignment-form]").count() == 1

    context.set_offline(True)
    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    assert page.evaluate("navigator.onLine") is False
    texts = page.evaluate("JSON.parse(document.getElementById('inspect-texts').textContent)")
    assert page.inner_text("[data-network-status]") == texts["offline"]
    fill_checklist(page, assignment["definition"], photo)
    wait_until(page, "document.querySelector('input[name=latitude]').value !== ''")
    client_id = page.input_value("input[name=client_id]")
    wait_for(lambda: [d for d in store(page, "drafts") if d["photos"] == [f"item-{FAILED}-photo"]
                      and [f"item-{FAILED}-action", ACTION] in d["fields"]], message="the draft with its photo")

    # A reload with no network: the page comes from the service worker, the draft from IndexedDB.
    response = page.reload()
    assert response.from_service_worker
    page.wait_for_selector("[data-inspect-notice='draft_restored']")
    assert page.input_value("input[name=client_id]") == client_id
    assert page.is_checked(f"input[name='item-{FAILED}-result'][value='fail']")
    assert page.input_value(f"textarea[name='item-{FAILED}-action']") == ACTION
    assert page.evaluate(f"document.querySelector(\"input[name='item-{FAILED}-photo']\").files[0].name") == "bins.jpg"
    assert page.input_value("input[name=latitude]") == "36.297000"
    page.evaluate("document.fonts.ready")
    font_loaded = "[...document.fonts].some(f => f.family.includes('Surveyor Sans') && f.status === 'loaded')"
    assert page.evaluate(font_loaded), "the font came from the service worker's cache"
    assert page.is_visible(f"input[name='item-{FAILED}-photo']"), "the restored failure keeps its box open"
    page.locator(f"#item-{FAILED}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "inspect-form-offline-fa-tablet.png"))
    page.screenshot(path=str(screenshot_dir / "inspect-form-offline-fa-tablet-full.png"), full_page=True)
    for name, (width, height) in OTHER_TABLETS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"no sideways scrolling at {name}"
        page.locator(f"#item-{FAILED}").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"inspect-form-offline-fa-{name}.png"))
    page.set_viewport_size(TABLET)
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]

    page.click(SUBMIT)
    page.wait_for_url(f"{live_server}/inspect/")
    page.wait_for_selector(f"[data-outbox-item='{client_id}']")
    item = page.inner_text(f"[data-outbox-item='{client_id}']")
    assert assignment["site"] in item and "بهداشتی" in item
    assert outbox_count(page) == "1"
    assert [r["files"] for r in store(page, "outbox")] == [[[f"item-{FAILED}-photo", "bins.jpg", photo.stat().st_size]]]
    assert store(page, "drafts") == []
    assert inspections(db) == [], "nothing leaves the tablet while offline"
    page.screenshot(path=str(screenshot_dir / "inspect-outbox-offline-fa-tablet.png"), full_page=True)

    context.set_offline(False)
    wait_for(lambda: outbox_count(page) == "0", message="the outbox to empty")
    stored = inspections(db)
    assert len(stored) == 1
    inspection = stored[0]
    assert inspection.client_id == client_id and inspection.status == "submitted"
    assert (round(inspection.latitude, 4), round(inspection.longitude, 4)) == (36.297, 59.6062)
    assert inspection.score_percent < 100
    photos = db.session.scalars(select(InspectionPhoto)).all()
    assert [p.item_code for p in photos] == [FAILED]
    assert (Path(app.config["PHOTO_DIR"]) / photos[0].file_path).is_file()
    assert {a.item_code: a.description for a in inspection.actions} == {FAILED: ACTION}
    page.wait_for_selector(f"[data-sent-item='{client_id}']")
    page.screenshot(path=str(screenshot_dir / "inspect-outbox-sent-fa-tablet.png"), full_page=True)
    context.close()


def test_lost_answers_and_repeated_flushes_store_one_inspection(browser, live_server, assignment, db, photo):
    context = tablet(browser)
    page = open_app(context, live_server)
    lost, delivered = [], []

    def flaky_network(route):
        if lose_answers:
            lost.append(route.request.url)
            route.fetch()                    # the server stores it ...
            route.abort("connectionreset")   # ... and the tablet never hears back
        else:
            delivered.append(route.request.url)
            route.continue_()

    lose_answers = True
    context.route("**/inspect/submit", flaky_network)
    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    fill_checklist(page, assignment["definition"], photo)
    client_id = page.input_value("input[name=client_id]")
    page.click(SUBMIT)
    page.wait_for_url(f"{live_server}/inspect/")
    status = f"[data-outbox-item='{client_id}'] [data-status=waiting]"
    page.wait_for_selector(status)
    page.wait_for_timeout(500)  # Background Sync and the page's own request have both had their go
    page.wait_for_selector(status)
    assert len(lost) >= 1 and len(inspections(db)) == 1, "the server has it; the tablet does not know"

    # The network is good again and every trigger fires at once: two flush requests, an online
    # event, a focus and a Background Sync registration. The inspection is sent once more, once.
    lose_answers = False
    page.evaluate("""async () => {
      navigator.serviceWorker.controller.postMessage({type: 'flush'});
      navigator.serviceWorker.controller.postMessage({type: 'flush'});
      window.dispatchEvent(new Event('online'));
      window.dispatchEvent(new Event('focus'));
      await (await navigator.serviceWorker.ready).sync.register('inspect-outbox');
    }""")
    wait_for(lambda: outbox_count(page) == "0", message="the outbox to empty")
    page.wait_for_timeout(300)
    assert len(delivered) == 1, delivered
    assert [i.client_id for i in inspections(db)] == [client_id]
    assert db.session.scalar(select(func.count()).select_from(InspectionPhoto)) == 1
    page.wait_for_selector(f"[data-sent-item='{client_id}']")
    context.close()


def test_a_refused_inspection_stays_in_the_outbox_until_corrected(browser, live_server, assignment, db, screenshot_dir):
    context = tablet(browser)
    page = open_app(context, live_server)
    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    fill_checklist(page, assignment["definition"], skip=("odour",))
    client_id = page.input_value("input[name=client_id]")
    page.click(SUBMIT)
    page.wait_for_url(f"{live_server}/inspect/")
    page.wait_for_selector(f"[data-outbox-item='{client_id}'] [data-status=rejected]")
    [record] = store(page, "outbox")
    assert "odour" in record["errors"] and FAILED in record["errors"], record["errors"]  # and the photo it needs
    page.reload()
    page.wait_for_selector(f"[data-outbox-item='{client_id}'] [data-status=rejected]")
    assert inspections(db) == []
    page.screenshot(path=str(screenshot_dir / "inspect-outbox-refused-fa-tablet.png"), full_page=True)

    page.click(f"[data-outbox-item='{client_id}'] button")
    alert = page.wait_for_selector("div.form-error[role=alert]")
    odour = next(i for i in assignment["definition"]["items"] if i["code"] == "odour")
    assert odour["labels"]["fa"] in alert.inner_text()
    assert "has-error" in page.get_attribute("#item-odour", "class")
    page.screenshot(path=str(screenshot_dir / "inspect-form-refused-fa-tablet.png"))
    assert page.input_value("input[name=client_id]") == client_id
    assert page.input_value(f"textarea[name='item-{FAILED}-action']") == ACTION
    page.check("input[name='item-odour-rating'][value='3']")
    page.check(f"input[name='item-{FAILED}-result'][value='pass']")
    page.click(SUBMIT)
    page.wait_for_url(f"{live_server}/inspect/")
    wait_for(lambda: outbox_count(page) == "0", message="the outbox to empty")
    assert [i.client_id for i in inspections(db)] == [client_id]
    context.close()


def queue_offline(context, page, definition, photo) -> str:
    """With the network gone, fill the assignment (a failure with its photo) and send it: it
    waits in the outbox. Returns its client id."""
    context.set_offline(True)
    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    fill_checklist(page, definition, photo)
    client_id = page.input_value("input[name=client_id]")
    page.click(SUBMIT)
    page.wait_for_selector(f"[data-outbox-item='{client_id}']")
    return client_id


def log_in_as(page, live_server, username):
    log_in(page, live_server, username, PASSWORD)
    page.goto(f"{live_server}/inspect/")
    wait_until(page, "navigator.serviceWorker.controller !== null")


def test_on_a_shared_tablet_an_inspection_waits_for_its_own_inspector(
        browser, live_server, assignment, db, make_user, photo):
    make_user("omid", "inspector", PASSWORD)
    context = tablet(browser)
    page = open_app(context, live_server)
    client_id = queue_offline(context, page, assignment["definition"], photo)

    # Reza hands the tablet over before the network returns; Omid logs in.
    context.route("**/inspect/submit", lambda route: route.abort())
    context.set_offline(False)
    log_out(page)
    log_in_as(page, live_server, "omid")
    wait_until(page, "document.querySelector('[data-outbox]').dataset.count === '0'")
    context.unroute("**/inspect/submit")
    page.evaluate("navigator.serviceWorker.controller.postMessage({type: 'flush'})")
    page.wait_for_timeout(500)
    assert inspections(db) == [], "never sent under another inspector's login"
    assert [r["client_id"] for r in store(page, "outbox")] == [client_id], "and kept for Reza"

    log_out(page)
    log_in_as(page, live_server, "reza")
    wait_for(lambda: outbox_count(page) == "0", message="Reza's outbox to empty")
    [stored] = inspections(db)
    assert stored.client_id == client_id and stored.inspector.username == "reza"
    context.close()


def test_background_sync_delivers_with_no_inspector_page_open(browser, live_server, assignment, db, photo):
    context = tablet(browser)
    page = open_app(context, live_server)
    client_id = queue_offline(context, page, assignment["definition"], photo)

    # The inspector leaves the app; the network returns; the browser wakes the service worker.
    page.goto("about:blank")
    assert inspections(db) == []
    context.set_offline(False)
    stored = wait_for(lambda: inspections(db), message="the inspection to arrive", page=page)
    assert [i.client_id for i in stored] == [client_id]
    context.close()


# Counts the app's requests for persistent storage (run in every page before its own scripts).
PERSIST_SPY = """
window.__persistCalls = 0;
if (navigator.storage && navigator.storage.persist) {
  const original = navigator.storage.persist.bind(navigator.storage);
  navigator.storage.persist = function () { window.__persistCalls += 1; return original(); };
}
"""


def test_storage_is_kept_and_a_form_never_opened_online_says_it_is_not_available(browser, live_server, assignment):
    context = tablet(browser)
    context.add_init_script(PERSIST_SPY)
    page = open_app(context, live_server)
    wait_until(page, "window.__persistCalls > 0 || document.body.dataset.storagePersisted === 'true'")
    assert page.locator("[data-inspect-notice='page_unavailable_offline']").count() == 0
    texts = page.evaluate("JSON.parse(document.getElementById('inspect-texts').textContent)")

    # An unassigned checklist opened with the network is kept on the way ...
    opened = f"{live_server}/inspect/form?visit=SRV-C01:{assignment['point_id']}"
    page.goto(opened)
    page.wait_for_selector("form[data-inspection-form]")
    context.set_offline(True)
    page.goto(f"{live_server}/inspect/")
    response = page.goto(opened)
    assert response.from_service_worker
    page.wait_for_selector("form[data-inspection-form]")

    # ... one never opened says so, instead of silently showing the list of assignments.
    page.goto(f"{live_server}/inspect/form?visit=SRV-C02:{assignment['park_id']}")
    notice = page.wait_for_selector("[data-inspect-notice='page_unavailable_offline']")
    assert notice.inner_text() == texts["page_unavailable_offline"]
    assert page.locator("a[data-assignment-form]").count() == 1  # the way on: the assignments
    context.close()


CONTRAST = """(css) => {
  const channels = (text) => text.match(/[0-9.]+/g).slice(0, 3).map(Number);
  const luminance = (rgb) => { const [r, g, b] = rgb.map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [luminance(channels(css.fg)), luminance(channels(css.bg))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def contrast(page, fg: str, bg: str = "rgb(255, 255, 255)") -> float:
    return page.evaluate(CONTRAST, {"fg": fg, "bg": bg})


def test_the_checklist_form_is_accessible_and_made_for_fingers_in_sunlight(browser, live_server, assignment,
                                                                           screenshot_dir):
    context = tablet(browser)
    page = open_app(context, live_server)
    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    photo = f"input[name='item-{FAILED}-photo']"
    assert not page.is_visible(photo)
    page.check(f"input[name='item-{FAILED}-result'][value='fail']")
    assert page.is_visible(photo), "the photo a failure needs is in view once the item fails"
    assert page.locator(photo).bounding_box()["height"] >= 44
    assert page.evaluate(f"getComputedStyle(document.querySelector(\"{photo}\"), '::file-selector-button').minHeight") \
        == "44px"

    # Sunlight: card and item borders at least 3:1, secondary text at least 4.5:1 on white.
    for selector in ("fieldset.check", "section.card"):
        border = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).borderTopColor")
        assert contrast(page, border) >= 3, (selector, border)
    hint = page.evaluate("getComputedStyle(document.querySelector('.site-line') || document.body).color")
    assert contrast(page, hint) >= 4.5
    muted = page.evaluate("getComputedStyle(document.body).getPropertyValue('--muted')").strip()
    assert contrast(page, "rgb(%d, %d, %d)" % tuple(int(muted[i:i + 2], 16) for i in (1, 3, 5))) >= 4.5

    page.evaluate(axe_script())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []

    # Forced colours (Windows high contrast): a chosen answer is outlined, not only tinted.
    page.emulate_media(forced_colors="active")
    chosen = f"#item-{FAILED} label.choice-fail"
    assert page.evaluate(f"getComputedStyle(document.querySelector('{chosen}')).outlineStyle") == "solid"
    page.screenshot(path=str(screenshot_dir / "inspect-form-forced-colors-tablet.png"))
    context.close()
