"""The site's own date formats (settings.FORMAT_MODULE_PATH), over Django's per language.

Danish keeps Django's "8. december 2021"; English reads "8 December 2021", not Django's
"Dec. 8, 2021" nor the Danish pattern's "8. December 2021". Templates write dates with
`|date:"DATE_FORMAT"` and, with the weekday, `|long_date` (portal_tags)."""
