"""Danish for Wagtail admin texts that Wagtail 8.0.1's own Danish catalogue leaves
untranslated (editors saw "(blank)", "Page 1 of 3.", "No agreements match your query." in
English).

The project catalogue (`locale/`, LOCALE_PATHS) wins over every app's catalogue, so listing
Wagtail's exact English msgids here puts them in ours, where they get Danish, and
`make messages` keeps them. Only msgids missing or empty in Wagtail's `da` catalogues are
listed; check the exact msgid (placeholders, punctuation, "…") in Wagtail's source when
upgrading. Never imported: it exists for `makemessages`.
"""

from django.utils.translation import gettext_noop as _

WAGTAIL_MSGIDS = [
    _("(blank)"),
    _("Page %(page_number)s of %(num_pages)s."),
    _("No %(model_name)s match your query."),
    _("There are no %(model_name)s to display."),
    _("Pagination"),
    _("Show filters"),
    _("Apply filters"),
    _("Filter by"),
    _("Download XLSX"),
    _("Download CSV"),
    _("Select all"),
    _("Select row"),
    _("Bulk actions"),
    _("More actions"),
    _("More bulk actions"),
    _("Editing %(page_type)s"),
    _("There are no results."),
    _("Search…"),
    _("Go back"),
    _("Enter a search term above"),
    _("Sorry, no pages match <em>%(query_string)s</em>"),
    _("Last published"),
    _("Saved"),
    _("Close dialog"),
    _("%(model_name)s '%(object)s' updated."),
    _("%(model_name)s '%(object)s' created."),
    _("%(model_name)s '%(object)s' deleted."),
    _("The %(model_name)s could not be saved due to errors."),
    _("Inspect"),
    _("More options for '%(title)s'"),
    _("New: %(model_name)s"),
    _("Create a new %(model_name)s"),
    _("Sort by '%(label)s' in ascending order."),
    _("Sort by '%(label)s' in descending order."),
    _("Save changes"),
    _("Comments"),
    _("Toggle sidebar"),
    _("Profile"),
    _("Notifications"),
    _("Date updated"),
    _("Page type"),
    _("Edited by"),
    _("Owner"),
    _("Item %(index)s of %(total)s"),
    _("Sort"),
    _("Compare"),
    _("Collections"),
    _("Remember me"),
    _("Forgotten password?"),
    _("Search all pages…"),
    _("Choose parent"),
    _("Has child pages"),
    _("Go to the first error"),
    _("Page title"),
    _("Page types"),
    _("No pages found."),
]
