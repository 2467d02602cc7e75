"""People's permissions come from the cache (portal.auth_backends), and a change to them
counts on the very next request: a group or a permission given or taken away, a group's
permissions changed or the group deleted, someone made superuser or no longer."""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

ADMIN_LINK = 'href="/admin/"'


def access_admin() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def header_of(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_a_signed_in_persons_permissions_cost_no_query_once_cached(client, home_page, member):
    client.force_login(member)
    assert ADMIN_LINK not in header_of(client)  # asked once, kept
    with CaptureQueriesContext(connection) as warm:
        assert ADMIN_LINK not in header_of(client)
    assert "auth_permission" not in " ".join(query["sql"] for query in warm)


def test_a_group_given_and_taken_away_shows_on_the_next_request(client, home_page, member):
    editors = Group.objects.create(name="Redaktører i test")
    editors.permissions.add(access_admin())
    client.force_login(member)
    assert ADMIN_LINK not in header_of(client)

    member.groups.add(editors)
    assert ADMIN_LINK in header_of(client)
    member.groups.remove(editors)
    assert ADMIN_LINK not in header_of(client)


def test_a_groups_permissions_changed_or_the_group_deleted_show_at_once(client, home_page, member):
    editors = Group.objects.create(name="Redaktører i test")
    member.groups.add(editors)
    client.force_login(member)
    assert ADMIN_LINK not in header_of(client)

    editors.permissions.add(access_admin())
    assert ADMIN_LINK in header_of(client)
    editors.permissions.clear()
    assert ADMIN_LINK not in header_of(client)
    editors.permissions.add(access_admin())
    assert ADMIN_LINK in header_of(client)
    editors.delete()
    assert ADMIN_LINK not in header_of(client)


def test_a_persons_own_permission_superuser_and_active_flags_show_at_once(
    client, home_page, member
):
    client.force_login(member)
    assert ADMIN_LINK not in header_of(client)
    member.user_permissions.add(access_admin())
    assert ADMIN_LINK in header_of(client)
    member.user_permissions.remove(access_admin())
    assert ADMIN_LINK not in header_of(client)

    member.is_superuser = True
    member.save()
    assert ADMIN_LINK in header_of(client)
    member.is_superuser = False
    member.save()
    assert ADMIN_LINK not in header_of(client)


def test_another_persons_permissions_are_never_served(client, home_page, member, editor):
    # The editor (a superuser) is asked first; the member's answer is their own.
    client.force_login(editor)
    assert ADMIN_LINK in header_of(client)
    client.force_login(member)
    assert ADMIN_LINK not in header_of(client)
