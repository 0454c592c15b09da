"""End to end in a real browser: Debian's Chromium driven by Playwright against `lawtrack serve`.

Needs /usr/bin/chromium (``apt-get install -y chromium``; CI installs it). Screenshots of every page
are saved to ``$LAWTRACK_SCREENSHOTS`` (default: a temporary directory) for a person to look at.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium); CI installs it")
    port = _free_port()
    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    env = dict(os.environ, LAWTRACK_DB=f"sqlite:///{db}")
    proc = subprocess.Popen([sys.executable, "-m", "lawtrack", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("lawtrack serve did not start: " + (proc.stdout.read() if proc.stdout else ""))
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shots_dir(tmp_path_factory) -> Path:
    d = Path(os.environ.get("LAWTRACK_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def wait_ready(pg):
    pg.wait_for_selector("h1", timeout=60000)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)
    pg.wait_for_timeout(800)


def set_date(pg, label: str, iso: str):
    """Streamlit 1.67's date_input is three spinbuttons (year, month, day): click, type, Escape."""
    y, m, d = iso.split("-")
    group = pg.get_by_label(label, exact=True) if pg.get_by_label(label, exact=True).count() else None
    spins = (group.locator("[role=spinbutton]") if group is not None and group.locator("[role=spinbutton]").count()
             else pg.locator(f"[data-testid=stDateInput]:has-text('{label}') [role=spinbutton]"))
    for spin, value in zip([spins.nth(0), spins.nth(1), spins.nth(2)], [y, m, d]):
        spin.click()
        pg.keyboard.type(value)
    pg.keyboard.press("Escape")
    pg.keyboard.press("Tab")


def test_pick_a_date_and_an_excluded_subparagraph_disappears(server, page):
    page.goto(f"{server}/?part=art_1&date=2020-01-01")
    wait_ready(page)
    body = page.locator("[data-testid=stMain]")
    assert body.get_by_text("Article 1, subparagraph 8) — Excluded by Law № 237-VI of 18.03.2019").count() == 1
    set_date(page, "Law as in force on", "2019-01-01")
    page.wait_for_function("() => location.search.includes('date=2019-01-01')", timeout=30000)
    wait_ready(page)
    assert body.get_by_text("Article 1, subparagraph 8) — Excluded by Law № 237-VI of 18.03.2019").count() == 0
    assert body.get_by_text("may be later than 01.01.2019").count() == 1
    set_date(page, "Law as in force on", "2020-01-01")
    page.wait_for_function("() => location.search.includes('date=2020-01-01')", timeout=30000)
    wait_ready(page)
    assert body.get_by_text("Article 1, subparagraph 8) — Excluded by Law № 237-VI of 18.03.2019").count() == 1


def test_permalink_reopens_the_same_view(server, page):
    page.goto(f"{server}/compare?from=2022-12-31&to=2023-01-01&lang=eng")  # the English notes' changes
    wait_ready(page)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "32"
    assert "from=2022-12-31" in page.url and "lang=eng" in page.url


def test_download_csv(server, page, tmp_path):
    page.goto(f"{server}/export?from=2023-01-01&to=2023-12-31&law=194-VII")
    wait_ready(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="CSV", exact=True).click()
    path = tmp_path / "log.csv"
    dl.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("effective_date,effective_basis,law_number")
    assert all(line.split(",")[2] == "194-VII" for line in text.splitlines()[1:])


def test_screenshots_of_every_page(server, page, tmp_path_factory):
    out = shots_dir(tmp_path_factory)
    views = {"law_as_of": "/?date=2019-01-01&part=art_7-1&unit=art_7-1__subpara_5-1",
             "law_as_of_official_vs_translation": "/?date=2026-02-01&part=art_7&lang=eng&other=1&excluded=1",
             "law_as_of_russian": "/?date=2026-02-01&part=art_12",
             "timeline": "/timeline?law=№ 141-VII",
             "churn": "/churn", "compare": "/compare?from=2022-12-31&to=2023-04-01",
             "export": "/export?from=2023-01-01&to=2023-12-31", "quality": "/quality"}
    page.goto(server + "/quality")  # the reconciliation tab
    wait_ready(page)
    page.get_by_role("tab", name=re.compile("Official text vs translation")).click()
    page.wait_for_timeout(800)
    page.screenshot(path=str(out / "quality_reconciliation.png"), full_page=True)
    for name, path in views.items():
        page.goto(server + path)
        wait_ready(page)
        assert page.locator("[data-testid=stException]").count() == 0, name
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
        assert (out / f"{name}.png").stat().st_size > 10_000
