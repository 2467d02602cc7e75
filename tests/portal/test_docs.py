"""The configuration docs list every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def variables_read_by_settings() -> set[str]:
    source = "\n".join(p.read_text() for p in (ROOT / "portal" / "settings").glob("*.py"))
    return set(re.findall(r"\benv(?:_bool|_int|_list)?\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']", source))


def test_the_settings_read_the_variables_we_expect_to_find():
    found = variables_read_by_settings()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= found
    assert len(found) > 20


def test_readme_configuration_table_lists_every_variable():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Tests")]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.MULTILINE))
    missing = variables_read_by_settings() - documented
    assert not missing, f"README's configuration table lacks {sorted(missing)}"


def test_env_example_lists_every_variable():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    missing = variables_read_by_settings() - listed
    assert not missing, f".env.example lacks {sorted(missing)}"
