from django import template
from django.template.defaultfilters import filesizeformat

register = template.Library()


@register.filter
def fields_named(form, names: str):
    """`form|fields_named:"a,b"`: the bound fields that exist on the form, in that order."""
    return [form[name] for name in names.split(",") if name in form.fields]


@register.filter
def document_size(size):
    return filesizeformat(size) if size else ""
