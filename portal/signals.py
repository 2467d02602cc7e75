"""Data kept in the cache made obsolete when what it shows changes (`portal.tree_cache`).

Signals, not code in the views: pages are created, published, moved and deleted by
Wagtail's own admin views, workflows, scheduled publishing and the demo loader, which
the portal does not own. Saving a page (a draft too) forgets the chrome: editors save
rarely, visitors read often, and a missed change would show a wrong menu.
"""

from django.db.models.signals import post_delete, post_save
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


def connect_cache_signals() -> None:
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
    for model in (PageViewRestriction, Site):
        post_save.connect(_forget, sender=model, dispatch_uid=f"portal.tree_cache.save.{model}")
    for model in (PageViewRestriction, SiteSettings, Site):
        post_delete.connect(_forget, sender=model, dispatch_uid=f"portal.tree_cache.delete.{model}")
