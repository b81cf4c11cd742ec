"""`manage.py fetch_rates` (against a local server standing in for the ECB) and `manage.py import_rates FILE`."""

import datetime as dt
import functools
import http.server
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from currencies.fetch import feed_needed
from currencies.models import ExchangeRate
from tests.conftest import ECB_SAMPLE


@pytest.fixture
def ecb_server(tmp_path, settings):
    """A loopback HTTP server with the sample as each of the ECB's feeds; records the paths asked for."""
    for name in ("eurofxref-daily.xml", "eurofxref-hist-90d.xml", "eurofxref-hist.xml"):
        (tmp_path / name).write_bytes(ECB_SAMPLE.read_bytes())
    asked = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            asked.append(format % args)

    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "eurofxref").symlink_to(tmp_path, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.XPENSER_ECB_RATES_URL = f"http://127.0.0.1:{server.server_address[1]}/stats/eurofxref"
    yield asked
    server.shutdown()
    server.server_close()


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_fetch_rates_loads_the_history_first_then_the_daily_feed(ecb_server):
    out = run("fetch_rates")
    assert len(ecb_server) == 1 and '"GET /stats/eurofxref/eurofxref-hist.xml HTTP/1.1" 200' in ecb_server[0]
    assert "Stored 40 rates of 8 days (2026-10-26 to 2026-11-04) from the ECB's history feed." in out
    assert ExchangeRate.objects.count() == 40
    run("fetch_rates", "--feed", "daily")
    assert "/stats/eurofxref/eurofxref-daily.xml" in ecb_server[1]
    assert ExchangeRate.objects.count() == 40


@pytest.mark.django_db
def test_fetch_rates_says_why_it_failed(settings):
    settings.XPENSER_ECB_RATES_URL = "http://127.0.0.1:9/"  # the discard port: nothing listens
    with pytest.raises(CommandError, match="could not download http://127.0.0.1:9/eurofxref-hist.xml"):
        run("fetch_rates", "--timeout", "2")
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize(
    ("last_day", "feed"),
    [(None, "history"), ("2026-08-01", "history"), ("2026-10-20", "90d"), ("2026-11-02", "daily"),
     ("2026-11-04", "daily")],
)
def test_the_refresh_asks_for_the_smallest_feed_that_fills_the_gap(last_day, feed):
    last = dt.date.fromisoformat(last_day) if last_day else None
    assert feed_needed(last, dt.date(2026, 11, 5)) == feed


@pytest.mark.django_db
def test_import_rates_reads_a_file():
    out = run("import_rates", str(ECB_SAMPLE))
    assert out.strip() == "Stored 40 rates of 8 days (2026-10-26 to 2026-11-04)."
    assert str(ExchangeRate.objects.get(currency="GBP", day=dt.date(2026, 11, 3)).per_euro) == "0.860000"


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "message"), [(None, "no such file"), (b"<html>", "not a readable ECB rates file")])
def test_import_rates_refuses_what_it_cannot_read(tmp_path, content, message):
    path = tmp_path / "rates.xml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import_rates", str(path))
    assert not ExchangeRate.objects.exists()
