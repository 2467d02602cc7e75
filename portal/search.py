"""Search input hygiene shared by the site search and the agreement library."""


def clean_query(text: str, max_length: int = 200) -> str:
    """Drop control characters (PostgreSQL refuses NUL) and unbalanced double quotes
    (SQLite's full-text syntax fails on them); balanced quotes still search a phrase."""
    text = "".join(ch for ch in (text or "") if ch.isprintable())[:max_length]
    if text.count('"') % 2:
        text = text.replace('"', " ")
    return text.strip()
