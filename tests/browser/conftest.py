"""End-to-end tests in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; never a
downloaded browser) against a live server that pytest-django starts on a free port.

Every HTML response is given a strict Content-Security-Policy on its way to the browser (no inline scripts or
styles), and any violation the browser reports fails the test: the app must work under that policy.
"""

import contextlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
WIDTHS = (375, 1280)

# Playwright's sync API runs an event loop in this thread; the test's own ORM reads are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (`make test-browser`; `make test` leaves them out)."""
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium; .ci/run does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


class Tab:
    """One browser page at a given width, with the strict CSP added and its violations collected."""

    def __init__(self, page, base_url: str, width: int):
        self.page, self.base, self.width = page, base_url, width
        self.csp_errors: list[str] = []
        page.on("console", self._console)
        page.route("**/*", self._with_csp)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.csp_errors.append(message.text)

    def _with_csp(self, route):
        if route.request.headers.get("content-type", "").startswith("multipart/"):
            route.continue_()  # Playwright cannot re-send a file upload; its answer is a redirect or a form
            return
        try:
            response = route.fetch(max_redirects=0)  # the browser follows redirects itself, as it would
            headers = dict(response.headers)
            if headers.get("content-type", "").startswith("text/html"):
                headers["content-security-policy"] = STRICT_CSP
            route.fulfill(response=response, headers=headers)
        except PlaywrightError:
            # The page went away meanwhile (the test ended), or the fetch failed: never leave the request
            # hanging (a script that never loads fails the test far from its cause).
            with contextlib.suppress(PlaywrightError):
                route.continue_()

    def go(self, path: str):
        self.page.goto(self.base + path)
        self.assert_fits()
        return self.page

    def assert_fits(self):
        """No page is wider than the screen (nothing scrolls sideways)."""
        self.page.wait_for_load_state()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.width, f"{self.page.url} is {width} px wide at {self.width} px: {self.overflowing()}"

    def image_width(self, img) -> int:
        """The natural width of an image (a locator) once the browser has it, loaded or broken (0): a lazy one is
        scrolled into view first, as a reader would, so that it loads at all."""
        img.scroll_into_view_if_needed()
        self.page.wait_for_function("img => img.complete", arg=img.element_handle())
        return self.page.evaluate("img => img.naturalWidth", img.element_handle())

    def overflowing(self) -> list[str]:
        """The elements that reach past the right edge (what to fix when a page is too wide)."""
        return self.page.evaluate("""w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 0.5)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
            self.width)


@pytest.fixture(scope="session")
def static_files():
    """The static files in STATIC_ROOT, where WhiteNoise serves them from (outside DEBUG, as in production):
    collected once per run, as scripts/serve does, so that `make test-browser` works from a fresh clone."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def tab(request, chromium, static_files, live_server):
    width = request.param
    context = chromium.new_context(viewport={"width": width, "height": 800 if width > 600 else 740},
                                   accept_downloads=True, device_scale_factor=1)
    tab = Tab(context.new_page(), live_server.url, width)
    yield tab
    tab.page.unroute_all(behavior="ignoreErrors")  # a request still in _with_csp ends quietly
    context.close()
    assert tab.csp_errors == []
