"""What a screen reader and a keyboard user need from a form page, read from its HTML.

`check_form_page(response)` parses a page and fails with the list of problems found:

- every id named in any aria-describedby exists in the page;
- every visible input, select and textarea has a label (or aria-label(ledby));
- every radio and checkbox group sits in a fieldset whose legend has text;
- after an invalid submit (`errors=True`): the title starts with "Fejl: ", the error
  summary is the first thing after the H1, every link in it targets an existing input
  marked aria-invalid, every field in error is linked from it, and each error shown at a
  field is named by that field's aria-describedby (the input's, or its fieldset's).
"""

from collections import defaultdict

from bs4 import BeautifulSoup

SKIPPED_TYPES = {"hidden", "submit", "button", "reset", "image"}


def _controls(root):
    return [
        element
        for element in root.find_all(["input", "select", "textarea"])
        if element.get("type", "").lower() not in SKIPPED_TYPES
    ]


def _labelled(soup, control) -> bool:
    if control.get("aria-label") or control.get("aria-labelledby"):
        return True
    if control.find_parent("label"):
        return True
    id_ = control.get("id")
    label = id_ and soup.find("label", attrs={"for": id_})
    return bool(label and label.get_text(strip=True))


def _group_key(control):
    form = control.find_parent("form")
    return (id(form), control.get("name"))


def _described_by(element) -> set[str]:
    return set((element.get("aria-describedby") or "").split())


def check_form_page(response_or_html, *, errors: bool) -> BeautifulSoup:
    html = response_or_html
    if not isinstance(html, str):
        html = response_or_html.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    assert main is not None, "no <main>"
    ids = {element["id"] for element in soup.find_all(id=True)}
    problems = []

    for element in soup.find_all(attrs={"aria-describedby": True}):
        for ref in _described_by(element):
            if ref not in ids:
                problems.append(f"aria-describedby names a missing id {ref!r}: {element.name}")

    controls = _controls(main)
    for control in controls:
        if not _labelled(soup, control):
            problems.append(f"no label: {control}")

    groups = defaultdict(list)
    for control in controls:
        if control.get("type") in ("radio", "checkbox"):
            groups[_group_key(control)].append(control)
    for (_, name), members in groups.items():
        if members[0].get("type") == "checkbox" and len(members) == 1:
            continue  # a single checkbox keeps its own label
        fieldset = members[0].find_parent("fieldset")
        legend = fieldset and fieldset.find("legend")
        if not legend or not legend.get_text(strip=True):
            problems.append(f"group {name!r} is not in a fieldset with a legend")
        elif any(member.find_parent("fieldset") is not fieldset for member in members):
            problems.append(f"group {name!r} is split over fieldsets")

    summary = main.select_one('[data-module="error-summary"]')
    if errors:
        title = soup.title.get_text() if soup.title else ""
        if not title.startswith("Fejl: "):
            problems.append(f"title without 'Fejl: ': {title!r}")
        if summary is None:
            problems.append("no error summary")
        else:
            h1 = main.find("h1")
            if h1 is None or h1.find_next_sibling() is not summary:
                problems.append("the error summary is not the first thing after the H1")
            if summary.get("tabindex") != "-1":
                problems.append("the error summary cannot take focus (tabindex=-1)")
            linked = set()
            for link in summary.find_all("a"):
                target_id = link.get("href", "").removeprefix("#")
                target = soup.find(id=target_id) if target_id else None
                if target is None or target.name not in ("input", "select", "textarea"):
                    problems.append(f"summary link to no input: {link}")
                elif target.get("aria-invalid") != "true":
                    problems.append(f"summary links to an input not in error: {target_id}")
                else:
                    linked.add(_group_key(target))
            in_error = {_group_key(c) for c in controls if c.get("aria-invalid") == "true"}
            for key in in_error - linked:
                problems.append(f"field in error not linked from the summary: {key[1]!r}")
            if not summary.find_all("li"):
                problems.append("the error summary lists nothing")
        for message in main.select(".form-error-message"):
            message_id = message.get("id")
            if not message_id:
                problems.append(f"field error without id: {message}")
                continue
            group = message.find_parent(class_="form-group")
            holders = [
                element
                for element in group.find_all(attrs={"aria-describedby": True})
                if message_id in _described_by(element)
            ]
            if not holders:
                problems.append(f"field error {message_id!r} is named by no aria-describedby")
    elif summary is not None:
        problems.append("an error summary on a page without errors")

    assert not problems, "\n".join(problems)
    return soup
