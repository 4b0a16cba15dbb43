"""Vocabulary lists: tokens, lemmas, counts and CEFR levels."""

from apps.ocr.vocabulary import LEVELS, lemma, tokenize, vocabulary, word_level


def _by_word(items: list[dict]) -> dict[str, dict]:
    return {item["word"]: item for item in items}


def test_counts_and_lemmas():
    items = vocabulary("The cat sat. Cats run; my cat was running and the dog ran.")
    words = _by_word(items)
    assert words["cat"]["count"] == 3
    assert words["run"]["count"] == 3
    assert words["the"]["count"] == 2
    assert "cats" not in words and "running" not in words
    assert set(items[0]) == {"word", "count", "cefr"}


def test_sorted_by_count_then_word():
    items = vocabulary("zebra apple zebra mango apple zebra")
    assert [(i["word"], i["count"]) for i in items] == [("zebra", 3), ("apple", 2), ("mango", 1)]


def test_tokens_skip_numbers_and_single_letters():
    tokens = tokenize("In 2020 I saw a b c 3rd x-ray; don't stop, well-known ‘quotes’ 42")
    assert tokens == ["in", "i", "saw", "a", "x-ray", "don't", "stop", "well-known", "quotes"]


def test_curly_apostrophe_is_normalised():
    assert tokenize("It\u2019s") == ["it's"]


def test_lemmas():
    assert lemma("running") == "run"
    assert lemma("mice") == "mouse"
    assert lemma("children") == "child"


def test_common_words_are_a_level():
    for word in ("cat", "house", "big", "go", "Running"):
        assert word_level(word) in ("A1", "A2"), word


def test_made_up_and_rare_words():
    assert word_level("blorfity") == "unknown"
    assert word_level("") == "unknown"
    assert word_level("ubiquitous") == "C2"  # rare but a real dictionary word
    assert word_level("aalesund") == "unknown"  # cefrpy's C2 for a place name: not rated


def test_levels_are_from_the_fixed_set():
    items = vocabulary("Photosynthesis converts sunlight; the geese migrate south in well-known patterns.")
    assert items and all(item["cefr"] in LEVELS for item in items)
    assert _by_word(items)["well-known"]["cefr"] in ("A1", "A2", "B1")


def test_empty_text():
    assert vocabulary("") == []
    assert vocabulary("123 456 !!!") == []
