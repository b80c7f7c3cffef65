"""Suggesting themes for a comment from each theme's keywords: plain rules that run offline. English
matches whole words (and their plural or -ing forms); Arabic also matches with the article and the
common one-letter prefixes attached, after the spelling is normalised."""

import re
from collections.abc import Iterable

_DIACRITICS = re.compile("[\u064b-\u0652\u0640]")  # harakat and tatweel
_ARABIC = re.compile("[\u0600-\u06ff]")
_PREFIXES = "(?:و|ف|ب|ل|ك)?(?:ال|لل)?"


def normalise(text: str) -> str:
    text = _DIACRITICS.sub("", text.casefold())
    text = re.sub("[إأآ]", "ا", text)
    return text.replace("ة", "ه").replace("ى", "ي")


def keywords_of(raw: str) -> list[str]:
    return [normalise(line.strip()) for line in re.split(r"[\n,،]", raw) if line.strip()]


def _pattern(keyword: str) -> re.Pattern:
    body = re.escape(keyword)
    if _ARABIC.search(keyword):
        return re.compile(rf"(?<!\w){_PREFIXES}{body}(?!\w)")
    return re.compile(rf"(?<!\w){body}(?:s|es|ing|ed)?(?!\w)")


def suggest_themes(text: str, themes: Iterable[tuple[str, str]]) -> list[str]:
    """The codes of the themes (code, keywords) whose keywords occur in `text`, in the order given."""
    clean = normalise(text)
    return [code for code, raw in themes if any(_pattern(word).search(clean) for word in keywords_of(raw))]
