"""What `POST /api/v2/imports/` takes and answers, for the OpenAPI schema. The options are checked by
imports.import_options (each refusal names its option); ImportResult.as_dict() is the answer."""

from rest_framework import serializers

from ...imports import FORMATS
from ...imports.dates import ORDERS
from ...imports.options import MAPPABLE
from ...imports.results import STATUSES
from .serializers import ErrorDetailSerializer


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The expense file (CSV, QIF, JSON, XML, OFX/QFX or XLSX).")
    format = serializers.ChoiceField(choices=[*FORMATS, "qfx"], required=False,
                                     help_text="Default: detected from the content, else the file name, else CSV.")
    mapping = serializers.CharField(
        required=False,
        help_text="CSV/XLSX: a JSON object {field: header name or column number (1 = first)}; fields: "
                  f"{', '.join(MAPPABLE)}. Default: the columns whose header names a field.")
    header = serializers.BooleanField(required=False,
                                     help_text="CSV/XLSX: whether the first row names the columns (default 1).")
    date_order = serializers.ChoiceField(choices=["auto", *ORDERS], required=False,
                                         help_text="How numeric dates are read (default auto: from the file).")
    date_format = serializers.CharField(required=False, help_text="A strptime pattern, e.g. %d/%m/%Y.")
    decimal = serializers.ChoiceField(choices=["auto", ".", ","], required=False,
                                      help_text="The decimal separator of amounts (default auto).")
    delimiter = serializers.ChoiceField(choices=[",", ";", "|", "tab"], required=False,
                                        help_text="CSV: default the one the header line uses most.")
    encoding = serializers.CharField(required=False, help_text="Text files: e.g. utf-8 (default), cp1252.")
    negate = serializers.BooleanField(required=False,
                                     help_text="CSV/XLSX: 1 when money spent is negative in the file.")
    sheet = serializers.CharField(required=False, help_text="XLSX: the sheet's name (default the first).")
    report = serializers.CharField(required=False,
                                   help_text="The id or name of your report for rows naming none (default: the "
                                             "default report).")
    dry_run = serializers.BooleanField(required=False,
                                      help_text="1: store nothing, answer what every row would become.")


class ImportReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="null: a report the import creates by this name.")
    name = serializers.CharField(allow_null=True)


class ImportValuesSerializer(serializers.Serializer):
    """Empty for a row in error."""

    date = serializers.CharField(required=False, help_text="YYYY-MM-DD HH:MM:SS in your time zone.")
    type = serializers.CharField(required=False)
    amount = serializers.CharField(required=False)
    rawamount = serializers.CharField(required=False)
    notes = serializers.CharField(allow_blank=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    report = ImportReportSerializer(required=False)
    category = serializers.CharField(allow_null=True, required=False)
    sourceid = serializers.CharField(allow_blank=True, required=False)
    original_amount = serializers.CharField(required=False, help_text="The money entered, in original_currency.")
    original_currency = serializers.CharField(required=False)
    rate = serializers.CharField(allow_null=True, required=False,
                                 help_text="What converted it into the base currency; null: no rate on file yet.")


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The file's expenses counted from 1.")
    line = serializers.IntegerField(allow_null=True, help_text="Where the row starts (text files, sheets).")
    status = serializers.ChoiceField(choices=STATUSES)
    expense_id = serializers.IntegerField(allow_null=True, help_text="The stored expense (null in a dry run).")
    duplicate_of = serializers.IntegerField(allow_null=True, help_text="Your expense this row duplicates.")
    values = ImportValuesSerializer(help_text="The expense as stored (empty for a row in error).")
    errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    source = serializers.DictField(help_text="The raw values read from the file.")


class ImportCountsSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    new = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    skipped = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=FORMATS)
    dry_run = serializers.BooleanField()
    stored = serializers.BooleanField()
    counts = ImportCountsSerializer()
    warnings = serializers.ListField(child=serializers.CharField())
    reports_created = serializers.ListField(child=serializers.CharField())
    tags_created = serializers.ListField(child=serializers.CharField())
    rows = ImportRowSerializer(many=True)


class ImportFailedSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
    result = ImportResultSerializer(required=False, help_text="With rows in error: every row of the file.")
