"""`{{ bytes|file_size }}`: file sizes as readers expect them, "12 kB" or "1,4 MB".

Django's `filesizeformat` gives "791 bytes" and "12,1 KB" in Danish; a reader wants a
rounded figure in kB (at least 1 kB) and MB with one decimal, in the active language's
number format.
"""

from django import template
from django.utils import formats

register = template.Library()

KB = 1024
MB = 1024 * 1024


@register.filter
def file_size(size) -> str:
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size <= 0:
        return ""
    if size < MB:
        return f"{max(1, round(size / KB))}\N{NO-BREAK SPACE}kB"
    return f"{formats.number_format(size / MB, 1)}\N{NO-BREAK SPACE}MB"
