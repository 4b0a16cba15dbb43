"""A dense scanned table page (bench/dense_page.py, 480 cells): read whole, with its seconds per stage, and a
reading order that does not explode with the number of columns."""

import time

from apps.ocr import pages
from apps.ocr.engines import get_engine
from apps.ocr.engines.layout import reading_order
from bench.dense_page import COLUMNS, ROWS, cells, page


def test_reading_order_of_a_table_of_20_columns_is_its_rows_and_quick():
    boxes = []  # where a detector finds the page's cell texts: as wide as each text
    for row, texts in enumerate(cells(seed=0)):
        for column, text in enumerate(texts):
            x, y = 60 + column * 76, 140 + row * 80
            width = 12 * len(text) + 10
            boxes.append([[x + 4, y + 22], [x + 4 + width, y + 22], [x + 4 + width, y + 52], [x + 4, y + 52]])
    started = time.perf_counter()
    order = reading_order(boxes)
    elapsed = time.perf_counter() - started
    assert order == [list(range(row * COLUMNS, (row + 1) * COLUMNS)) for row in range(ROWS)]
    assert elapsed < 2.0, f"{elapsed:.2f} s"  # 40 s before the answers were kept per reading_order call


def test_a_dense_page_is_read_cell_by_cell_with_its_seconds_per_stage():
    result = pages.recognise_image(page(seed=0), get_engine("onnx"))
    words = [word["text"] for line in result["lines"] for word in line["words"]]
    expected = [text for row in cells(seed=0) for text in row]
    assert len(words) >= len(expected)
    read = sum(a == b for a, b in zip(words[-len(expected) :], expected, strict=True))
    assert read >= 0.97 * len(expected), f"{read} of {len(expected)} cells"
    seconds = result["seconds"]
    assert seconds["detect"] > 0 and seconds["recognize"] > 0 and seconds["total"] >= seconds["recognize"]
    assert seconds["layout"] < 1.0
