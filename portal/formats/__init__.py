"""The site's own date and time formats (settings.FORMAT_MODULE_PATH), over Django's per
language, and the one place that writes a date or a time for a reader.

Danish: "onsdag 8. december 2021", "9.30" and "kl. 9.30", "8. december 2021 kl. 14.30".
English: "Wednesday 8 December 2021", "9:30", "8 December 2021 at 14:30" (not Django's
"Dec. 8, 2021" nor the Danish pattern's "8. December 2021", and never a Danish "kl.").

Templates use the filters in portal_tags (`|long_date`, `|time_of_day`, `|clock_time`,
`|date_time`, `|long_date_time`; `|date:"DATE_FORMAT"` for a plain date,
`|date:"MONTH_DAY_FORMAT"` for "8. december" / "8 December"); Python code (e-mails,
notices, messages) calls the functions below. Each takes a datetime (shown in local
time), a date or, for the time of day, a time. No template or module writes its own
"j. F Y" or "%H.%M" pattern (tests/portal/test_dates.py checks)."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import pgettext


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value) -> str:
    """ "onsdag 8. december 2021", "Wednesday 8 December 2021"."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'l')} {date_format(value, 'DATE_FORMAT')}"


def short_date(value) -> str:
    """ "08.12.2021", "08/12/2021" (e-mail subjects, tight spaces)."""
    return date_format(_local(value), "SHORT_DATE_FORMAT") if value else ""


def time_of_day(value) -> str:
    """ "9.30" in Danish (the dot, no leading zero), "9:30" in English."""
    if not value:
        return ""
    return time_format(_local(value), "TIME_FORMAT")


def clock_time(value) -> str:
    """A time of day standing on its own after a date: "kl. 9.30" in Danish, "9:30" in
    English (as in "onsdag 8. december 2021, kl. 9.30-15.30")."""
    if not value:
        return ""
    return pgettext("a time of day on its own", "%(time)s") % {"time": time_of_day(value)}


def date_time(value) -> str:
    """ "8. december 2021 kl. 14.30", "8 December 2021 at 14:30"."""
    return date_format(_local(value), "DATETIME_FORMAT") if value else ""


def long_date_time(value) -> str:
    """ "onsdag 8. december 2021 kl. 14.30", "Wednesday 8 December 2021 at 14:30"."""
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, 'l')} {date_format(value, 'DATETIME_FORMAT')}"
