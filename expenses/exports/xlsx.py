"""XLSX export: one sheet, a header row and one row per expense, written by openpyxl in write-only mode.

Rows go to openpyxl's temporary file as they come, the workbook is zipped into another temporary file and
streamed from there: memory stays flat however many expenses there are. Dates are real date cells (in the
account's zone), amounts numbers with two decimals, text cells always text (a note starting with `=` is
never run as a formula). The header names are the fields the importer maps by itself; the expense's money
(records.CURRENCY_COLUMNS: what was entered, its currency, the rate) follows the other columns.
"""

import datetime as dt
import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .records import XML_ILLEGAL, row_datetime, row_decimal

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (  # (header, width)
    ("date", 20), ("type", 24), ("amount", 12), ("rawamount", 12), ("notes", 40), ("tags", 24), ("report", 24),
    ("report_id", 10), ("category", 16), ("sourceid", 24), ("status", 8), ("id", 10), ("created", 20),
    ("modified", 20), ("original_amount", 14), ("original_currency", 10), ("amount_currency", 10), ("rate", 14),
    ("rate_date", 12),
)  # fmt: skip
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = "0.00"
RATE_FORMAT = "0.0#########"
DAY_FORMAT = "yyyy-mm-dd"
CHUNK_SIZE = 64 * 1024


class XLSXRenderer:
    format = "xlsx"

    def _cell(self, sheet, value, number_format=None):
        cell = WriteOnlyCell(sheet, value=value)
        if number_format:
            cell.number_format = number_format
        return cell

    def _text(self, sheet, value):
        cell = WriteOnlyCell(sheet, value=XML_ILLEGAL.sub("", value or ""))
        cell.data_type = "s"  # openpyxl reads text starting with "=" as a formula otherwise
        return cell

    def _when(self, sheet, value, tz):
        when = row_datetime(value)
        local = when.astimezone(tz).replace(tzinfo=None, microsecond=0) if when is not None else None
        return self._cell(sheet, local, DATE_FORMAT)

    def cells(self, sheet, row, *, tz, report_names: dict) -> list:
        return [
            self._when(sheet, row["date"], tz),
            self._text(sheet, row["type"]),
            self._cell(sheet, row_decimal(row["amount"]), MONEY_FORMAT),
            self._cell(sheet, row_decimal(row["rawamount"]), MONEY_FORMAT),
            self._text(sheet, row["notes"]),
            self._text(sheet, ",".join(name for _, name in row["tags"])),
            self._text(sheet, report_names.get(row["report_id"], "")),
            row["report_id"],
            self._text(sheet, row["category"]),
            self._text(sheet, row["sourceid"]),
            row["status"],
            row["id"],
            self._when(sheet, row["created"], tz),
            self._when(sheet, row["modified"], tz),
            self._cell(sheet, row_decimal(row["original_amount"]), MONEY_FORMAT),
            self._text(sheet, row["original_currency"]),
            self._text(sheet, row["amount_currency"]),
            self._cell(sheet, row_decimal(row["rate"]), RATE_FORMAT) if row["rate"] else None,
            self._cell(sheet, dt.date.fromisoformat(row["rate_date"]), DAY_FORMAT) if row["rate_date"] else None,
        ]

    def stream(self, rows, *, tz, report_names: dict):
        """The bytes of the workbook, in chunks (made when the first chunk is asked for)."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Expenses")
        for number, (_, width) in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for name, _ in COLUMNS:
            cell = self._text(sheet, name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append(self.cells(sheet, row, tz=tz, report_names=report_names))
        with tempfile.TemporaryFile() as file:
            workbook.save(file)
            file.seek(0)
            while chunk := file.read(CHUNK_SIZE):
                yield chunk
