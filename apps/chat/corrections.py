"""A small rule-based detector of frequent learner mistakes, used by the offline tutor and by analyses.

It finds what simple rules find reliably (pronoun "i", agreement after he/she/it with common verbs, a/an, "didn't
went", double comparatives, repeated words, capitals and end punctuation); a hosted LLM, when configured, catches
the rest in its replies.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Correction:
    kind: str
    wrong: str
    right: str
    why: str


THIRD_PERSON = {
    "go": "goes", "have": "has", "do": "does", "like": "likes", "want": "wants", "play": "plays", "live": "lives",
    "work": "works", "eat": "eats", "need": "needs", "watch": "watches", "study": "studies", "make": "makes",
    "think": "thinks", "know": "knows", "come": "comes", "read": "reads", "write": "writes", "speak": "speaks",
}  # fmt: skip
PAST_TO_BASE = {
    "went": "go", "saw": "see", "ate": "eat", "took": "take", "came": "come", "made": "make", "bought": "buy",
    "did": "do", "had": "have", "wrote": "write", "spoke": "speak", "gave": "give", "found": "find",
    "watched": "watch", "played": "play", "liked": "like", "wanted": "want", "visited": "visit",
}  # fmt: skip
VOWEL_SOUND_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ur")
SILENT_H = ("hour", "honest", "honour", "honor", "heir")


def _agreement(text: str) -> list[Correction]:
    found = []
    for m in re.finditer(r"\b(he|she|it)\s+([a-z]+)\b", text, re.I):
        verb = m.group(2).lower()
        if verb in THIRD_PERSON:
            found.append(Correction("agreement", m.group(0), f"{m.group(1)} {THIRD_PERSON[verb]}",
                                    "With he, she and it, present-simple verbs take -s."))  # fmt: skip
    for m in re.finditer(r"\b(I|you|we|they)\s+is\b|\b(he|she|it)\s+are\b", text, re.I):
        subject = (m.group(1) or m.group(2)).lower()
        right = {"i": "I am", "you": "you are", "we": "we are", "they": "they are"}.get(subject, f"{subject} is")
        found.append(Correction("agreement", m.group(0), right, "The form of 'be' must match the subject."))
    return found


def _articles(text: str) -> list[Correction]:
    found = []
    for m in re.finditer(r"\b([Aa]n?)\s+([A-Za-z]+)", text):
        article, word = m.group(1), m.group(2).lower()
        vowel = (word[0] in "aeiou" and not word.startswith(VOWEL_SOUND_EXCEPTIONS)) or word.startswith(SILENT_H)
        if article.lower() == "a" and vowel:
            found.append(Correction("articles", m.group(0), f"an {m.group(2)}", "Use 'an' before a vowel sound."))
        elif article.lower() == "an" and not vowel:
            found.append(Correction("articles", m.group(0), f"a {m.group(2)}", "Use 'a' before a consonant sound."))
    return found


def _tenses(text: str) -> list[Correction]:
    found = []
    for m in re.finditer(r"\b(didn't|did not|doesn't|does not)\s+([a-z]+)\b", text, re.I):
        verb = m.group(2).lower()
        if verb in PAST_TO_BASE and verb not in {"did", "had"}:
            found.append(Correction("verb forms", m.group(0), f"{m.group(1)} {PAST_TO_BASE[verb]}",
                                    "After did/does (not), use the base form of the verb."))  # fmt: skip
    for m in re.finditer(r"\bmore\s+(\w+er)\b", text, re.I):
        if m.group(1).lower() not in {"never", "over", "other", "rather", "together", "under"}:
            found.append(Correction("comparatives", m.group(0), m.group(1),
                                    "Don't use 'more' with an -er comparative."))  # fmt: skip
    return found


def _mechanics(text: str) -> list[Correction]:
    found = []
    for m in re.finditer(r"(?<![\w'])i(?![\w'])|(?<![\w'])i'(m|ve|ll|d)\b", text):
        found.append(
            Correction("capitals", m.group(0), m.group(0).replace("i", "I", 1), "The pronoun 'I' is always a capital.")
        )
    for m in re.finditer(r"\b(\w+)\s+\1\b", text, re.I):
        if m.group(1).lower() not in {"had", "that", "very"}:
            found.append(Correction("repetition", m.group(0), m.group(1), "A word is repeated."))
    stripped = text.strip()
    if stripped and stripped[0].isalpha() and stripped[0].islower() and not stripped.startswith("i "):
        found.append(Correction("capitals", stripped.split()[0], stripped.split()[0].capitalize(),
                                "Start a sentence with a capital letter."))  # fmt: skip
    if len(stripped.split()) >= 3 and stripped[-1] not in ".!?\"')":
        found.append(Correction("punctuation", stripped.split()[-1], stripped.split()[-1] + ".",
                                "End a sentence with a full stop, question mark or exclamation mark."))  # fmt: skip
    return found


def find_mistakes(text: str) -> list[Correction]:
    """Return the mistakes the rules recognise in ``text``, grammar before mechanics."""
    return _agreement(text) + _articles(text) + _tenses(text) + _mechanics(text)
