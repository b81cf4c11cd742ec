"""Bytes of an uploaded text file as text: the named encoding, else UTF-8 (a byte order mark decides UTF-16)."""

import codecs

from xpenser_server.errors import InvalidInput

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, encoding: str | None = None, *, kind: str = "text") -> str:
    """The text of `data`. InvalidInput when it is not text in that encoding, naming where it breaks."""
    if encoding is None:
        encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
        if encoding == "utf-8" and b"\x00" in data[:4096]:
            raise InvalidInput(f"the file is not {kind}: it holds binary data (NUL bytes)")
    try:
        text = data.decode(encoding)
    except UnicodeError as err:  # UnicodeDecodeError names the byte; some codecs (punycode) raise only this
        hint = "; name its encoding, e.g. encoding=cp1252 or encoding=latin-1" if encoding.startswith("utf") else ""
        start = getattr(err, "start", None)
        where = f"byte {start + 1} ({data[start:start + 1]!r})" if start is not None else "it"
        raise InvalidInput(f"the file is not {encoding} text: {where} cannot be read{hint}") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise InvalidInput(f"the file is not {kind}: it holds NUL characters")
    return text
