"""Django's ModelBackend, with each person's permissions kept in the shared cache.

Every page a signed-in person sees asks a permission (the header's "Admin" link, Wagtail's
user bar, the meeting page's "manages this meeting"), and Django's ModelBackend answers
the first question of each request with two queries (the person's own permissions and
their groups'). They change only when someone's groups or permissions are changed, so
the answer is kept in the cache (`portal.tree_cache.cached`, under its own version) and
every such change (`connect_permission_signals`) makes every kept answer obsolete at
once, on every app server: a permission granted or taken away counts from the next
request. Whether someone is active or a superuser is read from their row each request
(and is part of the key), as before.

Whether someone belongs to any group is kept with them (`in_a_group`): Wagtail's page
permissions and workflow tasks come only through groups, so the meeting page need not
ask Wagtail (two queries) whether a member may edit it.

Logging in is unchanged: `authenticate` and `get_user` are ModelBackend's.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import tree_cache

VERSION_KEY = "portal:permissions:version"


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"portal:permissions-and-groups:{user_obj.pk}:{int(user_obj.is_superuser)}"
            user_obj._perm_cache, user_obj._portal_in_a_group = tree_cache.cached(
                key, lambda: self._build(user_obj), version_key=VERSION_KEY
            )
        return user_obj._perm_cache

    def _build(self, user_obj) -> tuple[set[str], bool]:
        return super().get_all_permissions(user_obj), user_obj.groups.exists()


def in_a_group(user) -> bool:
    """Whether `user` belongs to any group, kept with their permissions (a query when
    they are not kept: an inactive person, another backend)."""
    user.get_all_permissions()
    found = getattr(user, "_portal_in_a_group", None)
    return user.groups.exists() if found is None else found


def _forget(**kwargs):
    tree_cache.forget(VERSION_KEY)


def connect_permission_signals() -> None:
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            _forget, sender=through, dispatch_uid=f"portal.permissions.m2m.{through.__name__}"
        )
    for model in (Group, Permission):
        post_save.connect(_forget, sender=model, dispatch_uid=f"portal.permissions.save.{model}")
        post_delete.connect(
            _forget, sender=model, dispatch_uid=f"portal.permissions.delete.{model}"
        )
