"""A day in the year without the year ("1.10" for 1 October), for the network's dates
of the membership year (renewal invitation, reminders, grace end, cancellation deadline).

Stored as "MM-DD", so dates compare as text in the database (the grace rule in
`MembershipQuerySet.in_grace_on` filters on it); editors type and see "31.01".
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_STORED = re.compile(r"^(\d\d)-(\d\d)$")
_TYPED = re.compile(r"^\s*(\d{1,2})\s*[./]\s*(\d{1,2})\s*\.?\s*$")


def parse_month_day(value: str) -> str:
    """'31.1', '31.01', '31/1' -> '01-31'; raises ValidationError (Danish) otherwise."""
    value = (value or "").strip()
    if _STORED.match(value):
        month, day = (int(p) for p in value.split("-"))
    else:
        match = _TYPED.match(value)
        if not match:
            raise ValidationError(_("Enter a day and month such as 31.01."), code="invalid")
        day, month = int(match.group(1)), int(match.group(2))
    try:
        datetime.date(2001, month, day)  # not a leap year: 29.02 does not come every year
    except ValueError:
        raise ValidationError(_("Enter a day and month such as 31.01."), code="invalid") from None
    return f"{month:02d}-{day:02d}"


def month_day_in(value: str, year: int) -> datetime.date:
    """The stored 'MM-DD' as a date in `year`."""
    month, day = (int(p) for p in value.split("-"))
    return datetime.date(year, month, day)


def month_day_key(on: datetime.date) -> str:
    return f"{on.month:02d}-{on.day:02d}"


class MonthDayFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs["max_length"] = 6
        kwargs.pop("empty_value", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "dd.mm")
        self.widget.attrs.setdefault("size", 6)

    def prepare_value(self, value):
        match = _STORED.match(value or "")
        if match:
            return f"{int(match.group(2))}.{int(match.group(1)):02d}"
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        return parse_month_day(value)


class MonthDayField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 5
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MonthDayFormField, **kwargs})
