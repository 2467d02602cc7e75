"""The Danish the project gives Wagtail's admin stays in place and stays correct.

portal/wagtail_wording.py lists Wagtail's exact msgids so `make messages` (makemessages on
the project catalogue) keeps them in locale/da/LC_MESSAGES/django.po; these tests check
that each one is translated in the compiled catalogue, that each still exists in the
installed Wagtail (an upgrade that rewords a text shows up here), and that the committed
.mo files are compiled from the .po files next to them.
"""

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
import wagtail
from django.utils import translation

from portal import wagtail_wording

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "da" / "LC_MESSAGES"


def _wagtail_msgids() -> set[str]:
    """Every msgid in the installed Wagtail's English catalogues (its source texts)."""
    found = set()
    for po in Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/*.po"):
        text = po.read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            lines = [line for line in block.splitlines() if not line.startswith("#")]
            msgid, current = [], None
            for line in lines:
                if line.startswith("msgid "):
                    current = msgid
                    current.append(line[6:])
                elif line.startswith(("msgstr", "msgid_plural", "msgctxt")):
                    current = None
                elif line.startswith('"') and current is not None:
                    current.append(line)
            if msgid:
                found.add("".join(ast.literal_eval(part) for part in msgid))
    return found


SINGULAR = [str(message) for message in wagtail_wording.WAGTAIL_MSGIDS]
# ngettext_lazy keeps its arguments on the lazy object.
PLURAL = [
    (message._kw["singular"], message._kw["plural"])
    for message in wagtail_wording.WAGTAIL_PLURAL_MSGIDS
]


def test_every_listed_wagtail_text_has_danish():
    untranslated = []
    with translation.override("da"):
        for msgid in SINGULAR:
            if translation.gettext(msgid) == msgid:
                untranslated.append(msgid)
        for singular, plural in PLURAL:
            if translation.ngettext(singular, plural, 2) == plural:
                untranslated.append(plural)
    assert len(SINGULAR) > 250
    assert not untranslated, untranslated


def test_wagtails_wrong_danish_is_corrected():
    with translation.override("da"):
        assert translation.gettext("Search term") == "Søgeord"  # Wagtail: "Søge term"
        assert translation.gettext("Site summary") == "Oversigt over webstedet"
        assert translation.gettext("Promote") != "Promover"


def test_every_listed_text_still_exists_in_the_installed_wagtail():
    known = _wagtail_msgids()
    # Texts Wagtail's English catalogue has not caught up with (found in its source).
    not_in_catalogue = {"Add Comment"}
    missing = [
        msgid
        for msgid in [*SINGULAR, *(singular for singular, _ in PLURAL)]
        if msgid not in known and msgid not in not_in_catalogue
    ]
    assert not missing, missing


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogue_is_compiled_from_its_po(tmp_path, domain):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (gettext) is needed to compile catalogues"
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run(  # noqa: S603 - msgfmt on our own catalogue
        [msgfmt, "--check", "-o", str(fresh), str(CATALOGUE / f"{domain}.po")],
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as new, (CATALOGUE / f"{domain}.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog


def test_texts_qa_saw_in_english_on_make_run_are_danish():
    """Issue 8 QA: the error banner after a refused save, the menu's Reports entries and
    the editor's aria labels; and Wagtail's "Udforsk undersider af '…'?" lost its '?'."""
    with translation.override("da"):
        assert translation.gettext("The page could not be saved due to validation errors.") == (
            "Siden kunne ikke gemmes, fordi der er fejl i formularen."
        )
        assert translation.gettext("Locked pages") == "Låste sider"
        assert translation.gettext("Toggle side panel") == "Vis/skjul sidepanel"
        explore = translation.gettext("Explore child pages of '%(title)s'") % {"title": "Nyheder"}
        assert explore == "Udforsk undersider af 'Nyheder'"


def test_texts_qa_saw_in_english_in_the_polish_walk_through_are_danish(client, admin_user):
    """Issue 8 polish: the dashboard's upgrade notice, the account's notification
    switches, the history's "Draft saved", the scheduling dialog, "Show in menus", and the
    slim header's aria-label "Actions" (hard-coded English in Wagtail's template)."""
    with translation.override("da"):
        assert translation.gettext("Draft saved") == "Skitse gemt"
        assert translation.gettext("show in menus") == "vis i menuer"
        assert translation.gettext("updated comments notifications") == "besked om kommentarer"
        assert translation.gettext(
            "Anyone with editing permissions can create schedules"
        ).startswith("Alle med redigeringsrettigheder")
    client.force_login(admin_user)  # with the second factor, as staff must have
    response = client.get("/admin/pages/", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Handlinger" id="w-slim-header-buttons"' in html
    assert 'aria-label="Actions"' not in html
