"""Vocabulary lists from OCR'd text: English words, lemmatised and counted, each with a CEFR level.

Tokens are runs of letters with internal apostrophes or hyphens ("don't", "well-known"), lowercased. Numbers and
single letters are skipped, except the words "a" and "i". Each token is lemmatised with simplemma (its English
dictionary ships inside the package, so nothing is downloaded), so "cats"/"cat" and "running"/"ran"/"run" count as
one entry.

Levels come from cefrpy 1.0.3 (its averaged level over the word's parts of speech), looked up for the lemma and,
failing that, the surface form. cefrpy assigns C2 to about 127k of its 172k words, most of them rare words, names
and misspellings: its C2 means "rare or not rated" more than "mastery level". So:
- a word cefrpy does not know is "unknown";
- a word cefrpy rates C2 stays "C2" only when simplemma's English dictionary also knows it (a real but rare word such
  as "ubiquitous"); otherwise (names, OCR garbage, "aalesund") it is "unknown".
A hyphenated word cefrpy lacks ("well-known") gets the hardest level of its parts, or "unknown" if any part is.
Levels are therefore one of "A1", "A2", "B1", "B2", "C1", "C2", "unknown".
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import simplemma
from cefrpy import CEFRAnalyzer

from apps.core.levels import LEVELS as CEFR_LEVELS

UNKNOWN = "unknown"
LEVELS = (*CEFR_LEVELS, UNKNOWN)
_LANG = "en"
# Chunks are split on anything but word characters, apostrophes and hyphens; a chunk is a word when, with outer
# quotes/hyphens stripped, it is letters with internal apostrophes or hyphens ("3rd", "A4", "x2" are not words).
_CHUNK = re.compile(r"[\w'\u2019\-]+", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*", re.UNICODE)
_SINGLE_LETTER_WORDS = {"a", "i"}


@lru_cache(maxsize=1)
def _analyzer() -> CEFRAnalyzer:
    return CEFRAnalyzer()


def tokenize(text: str) -> list[str]:
    """Return the lowercased English word tokens of ``text`` (numbers and stray single letters removed)."""
    tokens = []
    for match in _CHUNK.finditer(text):
        token = match.group().lower().replace("\u2019", "'").strip("'-")
        if not _WORD.fullmatch(token) or (len(token) == 1 and token not in _SINGLE_LETTER_WORDS):
            continue
        tokens.append(token)
    return tokens


@lru_cache(maxsize=65536)
def lemma(token: str) -> str:
    """Return the lowercased dictionary form of a lowercased token ("running" -> "run", "mice" -> "mouse")."""
    return simplemma.lemmatize(token, lang=_LANG).lower()


@lru_cache(maxsize=65536)
def word_level(word: str) -> str:
    """Return the CEFR level of ``word`` ("A1".."C2") or "unknown", following the policy in the module docstring."""
    word = word.strip().lower()
    if not word:
        return UNKNOWN
    analyzer = _analyzer()
    for candidate in dict.fromkeys((lemma(word), word)):
        if analyzer.is_word_in_database(candidate):
            level = str(analyzer.get_average_word_level_CEFR(candidate))
            if level != "C2":
                return level
            return "C2" if simplemma.is_known(candidate, lang=_LANG) else UNKNOWN
    if "-" in word:
        return _compound_level(word)
    return UNKNOWN


def _compound_level(word: str) -> str:
    """A hyphenated word cefrpy lacks ("well-known") gets its hardest part's level, if every part has one."""
    levels = [word_level(part) for part in word.split("-")]
    if UNKNOWN in levels:
        return UNKNOWN
    return max(levels, key=LEVELS.index)


def vocabulary(text: str) -> list[dict]:
    """Return ``[{"word": lemma, "count": n, "cefr": level}]`` for the words of ``text``.

    Sorted by count (descending), then word. Never raises for any string input; an empty text gives [].
    """
    counts = Counter(lemma(token) for token in tokenize(text))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"word": word, "count": count, "cefr": word_level(word)} for word, count in ordered]


def vocabulary_of_pages(pages: list[tuple[str, list[dict]]]) -> list[dict]:
    """Return ``vocabulary`` of the pages' texts, each entry with ``occurrences``: where it stands, as
    ``{"page": number (1-based), "line": index into the page's lines, "word": index into that line's words}``.

    ``pages`` are ``(text, lines)`` in page order, lines in the API's shape (a line without ``words`` is split at
    spaces, as words are). Counts come from the texts, so a page stored without lines still counts.
    """
    where: dict[str, list[dict]] = {}
    for number, (_, lines) in enumerate(pages, start=1):
        for line_index, line in enumerate(lines):
            words = [w["text"] for w in line.get("words") or []] or line.get("text", "").split(" ")
            for word_index, word in enumerate(words):
                for token in tokenize(word):
                    where.setdefault(lemma(token), []).append({"page": number, "line": line_index, "word": word_index})
    entries = vocabulary("\n".join(text for text, _ in pages))
    return [{**entry, "occurrences": where.get(entry["word"], [])} for entry in entries]
