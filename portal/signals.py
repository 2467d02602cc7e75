"""Data kept in the cache made obsolete when what it shows changes (`portal.tree_cache`).

Signals, not code in the views: pages are created, published, moved and deleted by
Wagtail's own admin views, workflows, scheduled publishing and the demo loader, which
the portal does not own. Saving a page (a draft too) forgets the chrome: editors save
rarely, visitors read often, and a missed change would show a wrong menu.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_unpublished, post_page_move

from . import tree_cache


def _forget(**kwargs):
    tree_cache.forget()


def _forget_after_settings_change(sender, created, **kwargs):
    # Wagtail creates a site's settings row, with its defaults, the first time anything
    # reads them (the chrome's own build among them): nothing shown changes then.
    if not created:
        tree_cache.forget()


def _forget_after_page_change(sender, instance, **kwargs):
    if isinstance(instance, Page):
        tree_cache.forget()


def _forget_after_logo_change(sender, instance, **kwargs):
    # The chrome keeps the logo's rendition URL: a new file (or the image deleted) in
    # the library makes it obsolete. Only the image chosen as a site's logo counts.
    from .models import SiteSettings

    if SiteSettings.objects.filter(logo_id=instance.pk).exists():
        tree_cache.forget()


def connect_cache_signals() -> None:
    from wagtail.images import get_image_model

    from .models import SiteSettings

    # A page saved (created, published) or deleted: post_save is sent once, for its
    # most specific model; post_delete once for each model of its inheritance chain.
    post_save.connect(_forget_after_page_change, dispatch_uid="portal.tree_cache.page_save")
    post_delete.connect(
        _forget_after_page_change, sender=Page, dispatch_uid="portal.tree_cache.page_delete"
    )
    # Moves rewrite tree paths with a bulk update, and unpublishing descendants may too.
    post_page_move.connect(_forget, dispatch_uid="portal.tree_cache.page_move")
    page_unpublished.connect(_forget, dispatch_uid="portal.tree_cache.page_unpublished")
    post_save.connect(
        _forget_after_settings_change,
        sender=SiteSettings,
        dispatch_uid="portal.tree_cache.settings",
    )
    post_save.connect(
        _forget_after_logo_change, sender=get_image_model(), dispatch_uid="portal.tree_cache.logo"
    )
    pre_delete.connect(  # before SET_NULL clears the settings' reference
        _forget_after_logo_change,
        sender=get_image_model(),
        dispatch_uid="portal.tree_cache.logo_delete",
    )
    for model in (PageViewRestriction, Site):
        post_save.connect(_forget, sender=model, dispatch_uid=f"portal.tree_cache.save.{model}")
    for model in (PageViewRestriction, SiteSettings, Site):
        post_delete.connect(_forget, sender=model, dispatch_uid=f"portal.tree_cache.delete.{model}")
