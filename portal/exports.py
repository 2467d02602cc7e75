"""Spreadsheet exports from the admin's listings, written once for every listing that
exports (registrations, memberships, organisations, affiliations, trial uses).

Wagtail's own export (`SpreadsheetExportMixin`) is changed in four ways:

- A Danish Excel opens the CSV in columns: `;` as the separator (Danish Excel's list
  separator; a comma is the decimal mark) and a UTF-8 byte-order mark, so æ, ø and å read
  right.
- No cell is executed as a formula. A text starting with `=`, `+`, `-`, `@`, a tab or a
  carriage return gets a leading `'` in the CSV (OWASP's advice on CSV injection). In the
  XLSX such a text is stored as a text cell with Excel's "quote prefix" style, which is
  what Excel itself stores when someone types `'=…`: it shows the text as written and
  never turns it into a formula, not even when the cell is edited.
- A dotted field whose middle is empty (a guest's `organisation.name`) is an empty cell
  instead of an `AttributeError` that cut the CSV off mid-stream and made the XLSX a 500.
- Times are Copenhagen time: "20.11.2021 09:00" in CSV, a plain date-time cell in XLSX
  (Wagtail writes UTC).
- Amounts (Decimal) are "7125,00" in CSV, as a Danish Excel reads a number, and a number
  cell in XLSX.
"""

import csv
import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from wagtail.admin.views import generic
from wagtail.admin.views.mixins import Echo
from wagtail.snippets.views import snippets

CSV_DELIMITER = ";"
BOM = "\ufeff"
# Characters that make a spreadsheet read a cell as a formula (or, for tab and carriage
# return, that some spreadsheets skip before doing so).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """The CSV value a spreadsheet shows as text: `'=HYPERLINK(…)` for `=HYPERLINK(…)`."""
    return f"'{value}" if is_formula_like(value) else value


def follow_path(instance, path: str):
    """`a.b.c` on `instance`, or None when a step on the way is None (a guest has no
    organisation). A step that does not exist is still an error: that is a typo."""
    value = instance
    for name in path.split("."):
        if value is None:
            return None
        value = getattr(value, name)
        if callable(value):
            value = value()
    return value


def local_datetime_text(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def decimal_text(value: Decimal) -> str:
    return number_format(value, use_l10n=True)


def local_naive_datetime(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class SafeExportMixin:
    """Put before Wagtail's IndexView (generic or snippets) in the bases."""

    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        datetime.datetime: {
            generic.IndexView.FORMAT_CSV: local_datetime_text,
            generic.IndexView.FORMAT_XLSX: local_naive_datetime,
        },
        Decimal: {generic.IndexView.FORMAT_CSV: decimal_text},
    }

    def to_row_dict(self, item):
        return {field: follow_path(item, field) for field in self.list_export}

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise(value)
        return value

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=CSV_DELIMITER)
        headings = {field: self.get_heading(queryset, field) for field in self.list_export}
        yield BOM.encode() + writer.writerow({f: neutralise(h) for f, h in headings.items()})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if is_formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
            yield cell


class ExportIndexView(SafeExportMixin, generic.IndexView):
    """For ModelViewSets (`index_view_class`)."""


class SnippetExportIndexView(SafeExportMixin, snippets.IndexView):
    """For SnippetViewSets (`index_view_class`)."""


def rows_response(*, filename: str, headings: dict, rows: list[dict], export_format: str):
    """A CSV or XLSX download of `rows` (dicts keyed as `headings`) for a report that is
    not a listing (e.g. the rollover report), with the same rules as the listings' exports:
    `;` and a byte-order mark in CSV, no cell read as a formula."""
    from io import BytesIO

    from django.http import FileResponse, HttpResponse
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    fields = list(headings)
    if export_format == generic.IndexView.FORMAT_XLSX:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="Ark1")
        sheet.append([str(headings[f]) for f in fields])
        for row in rows:
            cells = []
            for field in fields:
                cell = WriteOnlyCell(sheet, value=row[field])
                if is_formula_like(row[field]):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                cells.append(cell)
            sheet.append(cells)
        output = BytesIO()
        workbook.save(output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{filename}.xlsx",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write(BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([neutralise(str(headings[f])) for f in fields])
    for row in rows:
        writer.writerow([neutralise(row[f]) for f in fields])
    return response
