from django import template

from portal.templatetags.file_size import file_size

register = template.Library()


@register.filter
def fields_named(form, names: str):
    """`form|fields_named:"a,b"`: the bound fields that exist on the form, in that order."""
    return [form[name] for name in names.split(",") if name in form.fields]


@register.filter
def document_size(size):
    """The shared "12 kB" / "1,4 MB" format (`portal.templatetags.file_size`)."""
    return file_size(size)


@register.filter
def consent_level(value):
    """A consent code from the log ("members", "declined") as the short Danish word."""
    from ..models.agreements import _consent_short

    return _consent_short(value) if value else ""
