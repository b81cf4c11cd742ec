"""Reading expense files for import: CSV (with a column mapping), QIF, JSON, XML, OFX and XLSX.

Readers are pure: they turn bytes into SourceRecords (records.py) and never touch the database;
services.expense_import applies the account's rules, finds duplicates and stores.
"""

from xpenser_server.errors import InvalidInput

from .documents import read_json, read_xml
from .ofx import read_ofx
from .options import MAPPABLE, ImportOptions, flag, import_options
from .qif import read_qif
from .records import FORMATS, SourceFile, SourceRecord
from .spreadsheets import csv_header, read_csv, read_xlsx
from .tables import header_fields

READERS = {"csv": read_csv, "qif": read_qif, "json": read_json, "xml": read_xml, "ofx": read_ofx,
           "xlsx": read_xlsx}
EXTENSIONS = {"csv": "csv", "txt": "csv", "tsv": "csv", "qif": "qif", "json": "json", "xml": "xml",
              "ofx": "ofx", "qfx": "ofx", "xlsx": "xlsx"}


def detect_format(data: bytes, filename: str = "") -> str:
    """The format of an upload: from its content where that is certain, else from its name, else CSV."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"OFXHEADER") or b"<?OFX" in head or head.upper().startswith(b"<OFX>"):
        return "ofx"
    if head.startswith((b"<?xml", b"<response")):
        return "xml"
    if head.startswith((b"[", b"{")):
        return "json"
    if head.startswith(b"!") or head[:2] in (b"D0", b"D1", b"D2", b"D3"):
        return "qif"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    if head.startswith((b"\x89PNG", b"\xff\xd8", b"%PDF", b"GIF8", b"\x1f\x8b", b"\x7fELF")):
        raise InvalidInput(f"the file is not an expense file (an image, a PDF or an archive); send one of "
                           f"{', '.join(FORMATS)}")
    return "csv"


def read_file(data: bytes, options: ImportOptions, *, filename: str = "", max_rows: int) -> SourceFile:
    """The records of an uploaded file in options.format (or the detected one). InvalidInput when the file
    as a whole cannot be read (wrong type, broken encoding, garbage, too many rows)."""
    if not data.strip():
        raise InvalidInput("the file is empty")
    fmt = options.format or detect_format(data, filename)
    return READERS[fmt](data, options, max_rows=max_rows)


__all__ = ["FORMATS", "MAPPABLE", "READERS", "ImportOptions", "SourceFile", "SourceRecord", "csv_header",
           "detect_format", "flag", "header_fields", "import_options", "read_file"]
