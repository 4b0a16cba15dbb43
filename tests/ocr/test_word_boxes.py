"""Word boxes of OCR'd lines on the shared images, and vocabulary entries that point at them."""

import pytest
from PIL import Image

from apps.ocr import pages
from apps.ocr.engines import get_engine
from apps.ocr.engines.layout import bounds
from apps.ocr.engines.postprocess import Fragment, fragment_words
from apps.ocr.vocabulary import lemma, tokenize, vocabulary_of_pages


@pytest.fixture(scope="module")
def results(images_dir_module) -> dict[str, dict]:
    engine = get_engine("onnx")
    return {
        path.name: pages.recognise_image(Image.open(path).convert("RGB"), engine)
        for path in sorted(images_dir_module.glob("*"))
        if path.suffix in {".png", ".jpg"}
    }


@pytest.fixture(scope="module")
def images_dir_module():
    from tests.ocr.conftest import _ocr_data

    return _ocr_data() / "images"


def test_every_line_on_the_shared_images_has_words_that_give_its_text_inside_its_box(results):
    assert len(results) >= 10
    # tessjs_cosmic.png (400x400, light text on a dark photo) gets no detection from PP-OCRv6 small, as before.
    assert sum(bool(page["lines"]) for page in results.values()) >= len(results) - 1
    for name, page in results.items():
        for line in page["lines"]:
            assert " ".join(word["text"] for word in line["words"]) == line["text"], name
            x0, y0, x1, y1 = bounds(line["box"])
            for word in line["words"]:
                wx0, wy0, wx1, wy1 = bounds(word["box"])
                assert x0 <= wx0 <= wx1 <= x1 and y0 <= wy0 <= wy1 <= y1, (name, line["text"], word)
                assert 0 <= word["confidence"] <= 1 and " " not in word["text"]


def test_words_of_a_line_run_left_to_right(results):
    page = results["tess_phototest.png"]
    for line in page["lines"]:
        lefts = [word["box"][0][0] for word in line["words"]]
        assert lefts == sorted(lefts), line["text"]


def test_each_vocabulary_entry_points_at_its_words(results):
    page = results["uw3_010001.png"]
    entries = vocabulary_of_pages([(page["text"], page["lines"])])
    assert entries
    for entry in entries:
        assert len(entry["occurrences"]) == entry["count"]
        for place in entry["occurrences"]:
            word = page["lines"][place["line"]]["words"][place["word"]]["text"]
            assert entry["word"] in {lemma(token) for token in tokenize(word)}, (entry, word)


def test_without_character_boxes_words_share_the_fragment_box_by_position():
    fragment = Fragment("ab cdef", 0.9, [[0, 0], [70, 0], [70, 10], [0, 10]])
    words = fragment_words(fragment, "ab cdef")
    assert [w.text for w in words] == ["ab", "cdef"]
    assert words[0].box[0] == [0, 0] and words[0].box[2] == [20, 10]
    assert words[1].box[0] == [30, 0] and words[1].box[2] == [70, 10]
    assert words[0].confidence == 0.9


def test_character_boxes_make_the_word_boxes():
    chars = [([[x, 0], [x + 8, 0], [x + 8, 10], [x, 10]], 0.5 + x / 100) for x in (0, 10, 30, 40)]
    words = fragment_words(Fragment("abcd", 0.9, [[0, 0], [50, 0], [50, 10], [0, 10]], chars=chars), "ab cd")
    assert [(w.text, w.box[0], w.box[2]) for w in words] == [("ab", [0, 0], [18, 10]), ("cd", [30, 0], [48, 10])]
    assert words[1].confidence == pytest.approx(0.85)


@pytest.mark.parametrize("name", ["tess_phototest.png", "uw3_010001.png", "sroie_000.jpg"])
def test_paddle_words_lie_in_their_lines_from_its_ctc_positions(images_dir_module, name):
    result = pages.recognise_image(Image.open(images_dir_module / name).convert("RGB"), get_engine("paddle"))
    assert result["lines"]
    for line in result["lines"]:
        assert " ".join(word["text"] for word in line["words"]) == line["text"]
        x0, y0, x1, y1 = bounds(line["box"])
        lefts = []
        for word in line["words"]:
            wx0, wy0, wx1, wy1 = bounds(word["box"])
            assert x0 <= wx0 <= wx1 <= x1 and y0 <= wy0 <= wy1 <= y1, (line["text"], word)
            lefts.append(wx0)
        assert lefts == sorted(lefts)
