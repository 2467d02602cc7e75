"""One way to render a public form: Det Fælles Designsystem's markup (DKFDS 11).

`FORM_RENDERER` points at `FormRenderer`, so `{{ form }}` renders `forms/form.html` and
`{{ field.as_field_group }}` renders `forms/field.html` for every form on the site:
the site's own, allauth's (templates/allauth/elements/fields.html) and the library's.
The ids a field's `aria-describedby` points at come from one place, Django's
`BoundField.aria_describedby` (`<auto_id>_helptext`, `<auto_id>_error`); the field
template prints the hint and the error under exactly those ids. The error summary
(`{% error_summary form %}` in portal_tags) links to `first_input_id(field)`.

The Wagtail admin renders its fields with its own templates and never goes through
these two template names, so it is not affected.
"""

from dataclasses import dataclass

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.renderers import DjangoTemplates


def field_kind(field: BoundField) -> str:
    """How the field template lays the field out: "radio" or "checkbox" (a group of
    options in a fieldset), "fieldset" (another widget of several inputs), "checkbox"
    alone is "single-checkbox", and "input" for everything else."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if field.use_fieldset:
        return "fieldset"
    if isinstance(widget, forms.CheckboxInput):
        return "single-checkbox"
    return "input"


def dkfds_class(widget: forms.Widget) -> str:
    """DKFDS's class for the widget's inputs."""
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.CheckboxInput)):
        return "form-checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "form-radio"
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, forms.FileInput):
        return ""  # DKFDS styles no file input: the browser's own control.
    return "form-input"


def requirement(field: BoundField) -> str:
    """ "required" or "optional", shown in the label; nothing on a disabled field, and
    no "optional" on a form where every field is (a search or filter form)."""
    if field.field.disabled:
        return ""
    if field.field.required:
        return "required"
    if any(other.required for other in field.form.fields.values()):
        return "optional"
    return ""


class FormRenderer(DjangoTemplates):
    """Django's own renderer with the site's DKFDS form and field templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def widget_class(field: BoundField) -> str:
    own = field.field.widget.attrs.get("class", "")
    dkfds = dkfds_class(field.field.widget)
    if not dkfds or dkfds in own.split():
        return own
    return f"{own} {dkfds}".strip()


def render_widget(field: BoundField) -> str:
    """The field's widget with DKFDS's class (and Django's aria-describedby and
    aria-invalid, which `as_widget` adds)."""
    css = widget_class(field)
    return field.as_widget(attrs={"class": css} if css else None)


def choices(field: BoundField) -> list[BoundWidget]:
    """The options of a radio or checkbox group, each input with DKFDS's class: like
    `BoundField.subwidgets`, which takes no attributes."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = {"class": widget_class(field)}
    if id_:
        attrs["id"] = id_
    attrs = field.build_widget_attrs(attrs)
    return [
        BoundWidget(widget, data, field.form.renderer)
        for data in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]


def first_input_id(field: BoundField) -> str:
    """The id of the input the error summary links to: the field's own, or the first
    option of a radio or checkbox group (whose `id_for_label` is empty on purpose)."""
    if field_kind(field) in ("radio", "checkbox"):
        options = field.subwidgets
        if options:
            return options[0].id_for_label
    return field.id_for_label or field.auto_id or ""


@dataclass(frozen=True)
class SummaryItem:
    text: str
    href: str = ""


def _summary_text(label: str, message: str) -> str:
    """ "Navn: Dette felt er påkrævet.", or after a question "Deltager du i middagen?
    Dette felt er påkrævet." """
    if not label:
        return message
    return f"{label} {message}" if label.endswith(("?", ":", ".")) else f"{label}: {message}"


def summary_items(*forms_: forms.BaseForm | None) -> list[SummaryItem]:
    """Every error of the given bound forms: the non-field errors first (no link),
    then each field in error, in the form's order, as "label: message" linking to
    its first input."""
    items: list[SummaryItem] = []
    for form in forms_:
        if form is None or not getattr(form, "is_bound", False) or not form.errors:
            continue
        items += [SummaryItem(str(error)) for error in form.non_field_errors()]
        for field in form:
            if not field.errors:
                continue
            message = " ".join(str(error) for error in field.errors)
            text = _summary_text(str(field.label or ""), message)
            if field.is_hidden:
                items.append(SummaryItem(text))
            else:
                items.append(SummaryItem(text, f"#{first_input_id(field)}"))
    return items


def any_form_in_error(values) -> bool:
    """Whether any bound form among `values` (or in a list among them) has errors."""
    found = []
    for value in values:
        # type(), not isinstance(): isinstance() would evaluate lazy context values such
        # as `csrf_token`, and a page that touched its CSRF token is no longer cacheable.
        if type(value) in (list, tuple):
            found += [item for item in value if issubclass(type(item), forms.BaseForm)]
        elif issubclass(type(value), forms.BaseForm):
            found.append(value)
    return any(form.is_bound and bool(form.errors) for form in found)
