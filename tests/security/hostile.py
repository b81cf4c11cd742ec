"""Hostile request bodies and query strings, made from a seeded random generator (the same every run)."""

import json
import random
import traceback

HUGE = 6 * 1024 * 1024  # beyond DATA_UPLOAD_MAX_MEMORY_SIZE (5 MiB)
BIG_INT = str(2**64 + 7)
FIELDS = ("q", "type", "amount", "notes", "date", "tags", "report", "move_to", "id", "name", "status", "scope")


def _form(pairs) -> str:
    return "&".join(f"{k}={v}" for k, v in pairs)


def hostile(kind: str, rng: random.Random) -> tuple[bytes, str, str]:
    """(body, content type, query string) of one request of this kind."""
    field = rng.choice(FIELDS)
    if kind == "huge":
        return b"q=" + b"a" * HUGE, "application/x-www-form-urlencoded", "q=" + "b" * 9000
    if kind == "nested":
        depth = rng.choice((200, 2000, 20000))
        return ("[" * depth + "]" * rng.choice((0, depth))).encode(), "application/json", ""
    if kind == "wrong-type":
        body, content_type = rng.choice([
            (json.dumps({"type": "taxi", "amount": "5"}).encode(), "application/x-www-form-urlencoded"),
            (b"type=taxi&amount=5", "application/json"),
            (b"<expense><type>taxi</type></expense>", "application/xml"),
            (b"--x\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\ntaxi 5", "multipart/form-data; boundary=x"),
            (b"type=taxi", "multipart/form-data"),
            (b"q=taxi 5", "text/plain; charset=utf-16"),
            (b"\xff\xfeq\x00=\x00", "application/x-www-form-urlencoded; charset=utf-16"),
        ])
        return body, content_type, ""
    if kind == "utf16-form":  # browsers never send one; Django refuses to parse it
        return f"{field}=taxi 5&csrfmiddlewaretoken={'c' * 32}".encode("utf-16"), \
            "application/x-www-form-urlencoded; charset=utf-16", ""
    if kind == "binary":
        return rng.randbytes(rng.choice((1, 64, 4096))), rng.choice(
            ("application/octet-stream", "application/json", "application/x-www-form-urlencoded", "image/png")), ""
    if kind == "nul":
        value = rng.choice(("taxi\x00 5", "\x00", "1\x00", "a" * 5 + "\x00" * 5))
        return _form([(field, value.replace("\x00", "%00")), ("name\x00", "x")]).encode(), \
            "application/x-www-form-urlencoded", f"{field}=%00&report=1%00&q=lunch%005"
    if kind == "percent-garbage":
        garbage = rng.choice(("%zz", "%", "%E0%A4%A", "%C0%AF", "%%%", "%ff%fe", "%u2603"))
        return f"{field}={garbage}&{garbage}={garbage}".encode(), "application/x-www-form-urlencoded", \
            f"a={garbage}&{field}={garbage}&{garbage}"
    if kind == "overlong-int":
        number = rng.choice((BIG_INT, "9" * 40, "-" + BIG_INT, "1e400", str(2**63)))
        return _form([(f, number) for f in FIELDS]).encode(), "application/x-www-form-urlencoded", \
            _form([("report", number), ("id", number), ("page", number), ("limit", number), ("offset", number),
                   ("amount", number), ("modified_after", number)])
    if kind == "unicode-digits":
        digits = rng.choice(("%C2%B2", "%D9%A3", "%E2%91%A0", "%EF%BC%91", "%F0%9D%9F%8F"))  # ² ٣ ① １ 𝟏
        return _form([(f, digits) for f in FIELDS]).encode(), "application/x-www-form-urlencoded", \
            _form([("report", digits), ("move_to", digits), ("id", digits), ("page", digits), ("amount", digits)])
    if kind == "date-offsets":
        moment = rng.choice(("2009-08-26 00:00:00+24:00", "2009-08-26T00:00:00+16:00", "9999-12-31T23:59:59-23:59",
                             "0001-01-01T00:00:00+01:00", "2009-13-45"))
        quoted = moment.replace("+", "%2B").replace(" ", "+")
        return _form([("date", quoted), ("q", "taxi 5"), ("type", "taxi"), ("amount", "5")]).encode(), \
            "application/x-www-form-urlencoded", f"date={quoted}&created={quoted}&modified_after={quoted}"
    raise ValueError(kind)


KINDS = ("huge", "nested", "wrong-type", "binary", "nul", "percent-garbage", "overlong-int", "unicode-digits",
         "date-offsets")


def raised(response) -> str:
    """The exception behind a 5xx and the project's frame nearest to it, for the failure message."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return "(no exception: answered as a 5xx)"
    kind, value, tb = exc_info
    frames = [frame for frame in traceback.extract_tb(tb) if "site-packages" not in frame.filename] or \
        traceback.extract_tb(tb)
    return f"{kind.__name__}: {value} at {frames[-1].filename}:{frames[-1].lineno}"
