"""Which pages of a PDF come from their text layer, from OCR, or both, on PDFs written here (tests/ocr/pdfmaker)."""

import time

from PIL import Image, ImageDraw, ImageFont

from apps.ocr import pages, textlayer
from apps.ocr.engines import get_engine
from apps.ocr.pdf import read_page, render_page
from tests.ocr import pdfmaker
from tests.ocr.pdfmaker import PageSpec

PROSE = "Read the text and answer the questions below about your morning at school"


def _engine():
    return get_engine("onnx")


def _no_engine():
    raise AssertionError("a text-layer page must not need the OCR engine")


def test_a_table_of_numbers_comes_from_its_text_layer_word_for_word():
    rows = [f"{n:>2}. 2026-03-{n:02d} {n * 17 % 100}.{n % 10} | {n * 3}/40 #{900 + n}" for n in range(1, 31)]
    spec = PageSpec()
    for row, line in enumerate(rows):
        spec.text(60, 740 - row * 20, line)
    page = pages.recognise_pdf_page(pdfmaker.build([spec]), 0, _no_engine)
    assert page["source"] == "text_layer"
    assert [line["text"] for line in page["lines"]] == [" ".join(row.split()) for row in rows]
    for line, row in zip(page["lines"], rows, strict=True):
        assert [word["text"] for word in line["words"]] == row.split()


def test_text_layer_word_boxes_lie_where_the_page_draws_them():
    data = pdfmaker.build([PageSpec().text(72, 700, "Vocabulary: breakfast", size=20)])
    page = pages.recognise_pdf_page(data, 0, _no_engine)
    (line,) = page["lines"]
    word = line["words"][1]
    assert word["text"] == "breakfast"
    image = render_page(data, 0).convert("L")
    assert (image.width, image.height) == (page["width"], page["height"])
    (x0, y0), (x1, y1) = word["box"][0], word["box"][2]
    inside = image.crop((x0, y0, x1 + 1, y1 + 1))
    outside = image.crop((x1 + 5, y0, x1 + 60, y1 + 1))  # right of the last word: blank paper
    assert inside.getextrema()[0] < 80 and outside.getextrema()[0] > 200


def test_a_font_without_a_unicode_map_is_ocrd():
    spec = PageSpec().text(72, 700, PROSE, size=14, font="F2")
    layer = read_page(pdfmaker.build([spec]), 0)
    assert all(char.map_error for char in layer.chars if not char.text.isspace())
    decision = layer.plan()
    assert decision.source == "ocr" and "Unicode" in decision.reason
    assert decision.regions == [(0.0, 0.0, float(layer.size[0]), float(layer.size[1]))]


def test_glyph_shifted_text_is_ocrd():
    shifted = "".join(chr(ord(c) + 3) if c.isalpha() else c for c in PROSE)  # "Uhdg wkh whaw ..."
    spec = PageSpec().text(72, 700, shifted, size=14)
    decision = read_page(pdfmaker.build([spec]), 0).plan()
    assert decision.source == "ocr" and "glyph-shifted" in decision.reason


def test_junk_characters_break_a_layer_but_digits_and_punctuation_do_not():
    def chars(text: str) -> list[textlayer.Char]:
        return [textlayer.Char(ch, (i * 10.0, 0.0, i * 10.0 + 9, 12.0)) for i, ch in enumerate(text)]

    assert textlayer.why_broken(chars("12 345 678 | 9.10, 11/12 (13) #14 -- 15%")) == ""
    assert textlayer.why_broken(chars("Page 1")) == ""
    assert "Unicode" in textlayer.why_broken(chars("\ue001\ue002\ue003 \ue004\ue005" * 5))
    assert "Unicode" in textlayer.why_broken(chars("Total \ufffd\ufffd 12"))


def _scan(lines: list[str]) -> Image.Image:
    image = Image.new("RGB", (1300, 700), (236, 234, 228))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    for index, line in enumerate(lines):
        draw.text((50, 60 + index * 110), line, fill=(20, 20, 20), font=font)
    return image


def test_a_scan_under_a_typed_header_is_mixed_and_only_the_scan_is_ocrd():
    scanned = ["The children played football", "after school on Friday", "Their teacher watched them"]
    spec = PageSpec().text(72, 740, "Worksheet 7: Free time", size=18).text(72, 716, "Name: ____  Class: 4B")
    spec.image(72, 300, 468, 252, _scan(scanned)).text(72, 260, "Answer in full sentences.", size=12)
    data = pdfmaker.build([spec])
    page = pages.recognise_pdf_page(data, 0, _engine)
    assert page["source"] == "mixed"
    texts = [line["text"] for line in page["lines"]]
    assert texts[:2] == ["Worksheet 7: Free time", "Name: ____ Class: 4B"]  # exact, from the layer
    assert texts[-1] == "Answer in full sentences."  # reading order: the footer after the scan
    ocr = " ".join(texts[2:-1]).lower()
    assert "football" in ocr and "teacher" in ocr and "worksheet" not in ocr
    region = read_page(data, 0).plan().regions[0]
    for line in page["lines"][2:-1]:  # OCR'd lines sit on the image, in page pixels
        (x0, y0), (x1, y1) = line["box"][0], line["box"][2]
        assert region[0] <= x0 and x1 <= region[2] and region[1] <= y0 and y1 <= region[3]
    assert page["seconds"]["render"] > 0 and page["seconds"]["detect"] > 0 and page["seconds"]["recognize"] > 0


def test_a_scanned_page_with_a_page_number_is_ocrd_whole():
    spec = PageSpec().image(0, 0, 612, 792, _scan(["Unit 2: Animals", "The cat sleeps"])).text(300, 20, "3")
    decision = read_page(pdfmaker.build([spec]), 0).plan()
    assert decision.source == "ocr" and decision.reason == "text layer only on image regions"


def test_a_searchable_scan_keeps_its_text_layer():
    spec = PageSpec().image(0, 0, 612, 792, _scan(["Unit 2: Animals"]))
    for row in range(6):
        spec.text(40, 700 - row * 30, PROSE, size=9)  # the invisible layer a scanner's OCR adds
    assert read_page(pdfmaker.build([spec]), 0).plan().source == "text_layer"


def test_a_sixteen_page_table_report_comes_from_its_text_layer_in_well_under_a_second_a_page():
    data, typed = pdfmaker.table_report(pages=16)
    started = time.perf_counter()
    results = [pages.recognise_pdf_page(data, index, _no_engine) for index in range(16)]
    per_page = (time.perf_counter() - started) / 16
    assert [page["source"] for page in results] == ["text_layer"] * 16
    for page, lines in zip(results, typed, strict=True):
        assert [w["text"] for line in page["lines"] for w in line["words"]] == " ".join(lines).split()
    assert per_page < 0.25, f"{per_page:.3f} s a page"  # measured about 0.03 s here


def test_text_shifted_by_the_usual_29_glyph_ids_is_refused():
    shifted = "".join(chr(ord(c) - 29) if c != " " else c for c in PROSE)  # "5HDG WKH WH[W ..."
    chars = [textlayer.Char(ch, (i * 10.0, 0.0, i * 10.0 + 9, 12.0)) for i, ch in enumerate(shifted)]
    assert "glyph-shifted" in textlayer.why_broken(chars)
    assert textlayer.why_broken([textlayer.Char(ch, c.box) for ch, c in zip(PROSE, chars, strict=True)]) == ""
