"""A real dashboard in a real browser: `ticket-router dashboard` as a subprocess on a free loopback port, driven by
Debian's Chromium through Playwright (which never downloads a browser of its own). Used by the end-to-end test and
by `benchmarks/dashboard_render.py --browser`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from servers import free_port, wait_until

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
START_TIMEOUT_S = 90
RENDER_TIMEOUT_MS = 60_000


class BrowserMissing(RuntimeError):
    pass


@contextmanager
def dashboard_server(db: Path, log: Path) -> Iterator[str]:
    """`ticket-router dashboard --db DB` on a free port; yields its base URL once it answers its health check."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ticket_router", "dashboard", "--port", str(port), "--db", str(db)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process, log)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the session this test started, nothing else
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    def healthy() -> bool:
        if process.poll() is not None:  # fail at once rather than wait out the timeout
            raise RuntimeError(f"the dashboard exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:  # noqa: S310 - loopback
                return response.status == 200
        except OSError:
            return False

    if not wait_until(healthy, timeout=START_TIMEOUT_S, step=0.25):
        raise RuntimeError(f"the dashboard did not answer within {START_TIMEOUT_S} s:\n"
                           f"{log.read_text(errors='replace')}")


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright's Python API."""
    if not CHROMIUM.exists():
        raise BrowserMissing(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/test does, as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_rendered(page: Any, title: str, text: str | None = None) -> None:
    """Until the page's title (and `text`, when given) is up, the script has stopped running, no element is stale,
    every chart has drawn, and the page has not changed for half a second."""
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=RENDER_TIMEOUT_MS)
    if text is not None:
        page.get_by_text(text).first.wait_for(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function(
        """() => {
            const busy = document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
                || document.querySelector('[data-stale="true"]')
                || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].some(c => !c.querySelector('.main-svg'));
            const shape = document.querySelectorAll('[data-testid="stElementContainer"]').length + ':'
                + (document.querySelector('[data-testid="stMain"]') || {}).scrollHeight;
            const now = Date.now();
            if (busy || window.__shape !== shape) { window.__shape = shape; window.__since = now; return false; }
            return now - window.__since >= 500;
        }""",
        timeout=RENDER_TIMEOUT_MS, polling=100,
    )


def open_page(page: Any, link: str, title: str, text: str | None = None) -> None:
    """Follow a link of the sidebar's navigation, as a user would."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link).click()
    wait_rendered(page, title, text)


def horizontal_overflow(page: Any) -> int:
    """Pixels of the main area hidden sideways (0 when the page fits its width)."""
    return int(page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m.scrollWidth - m.clientWidth; }"
    ))


def screenshot(page: Any, path: Path) -> Path:
    """The whole page at 1280 px wide: the viewport grows to the main area's height for the shot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height = int(page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"))
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
    try:
        page.wait_for_timeout(400)  # charts re-lay themselves out for the new size
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(VIEWPORT)
    return path
