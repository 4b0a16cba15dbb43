"""Post-processing on synthetic boxes: reading order, columns, word re-spacing, upscaling, line assembly."""

from apps.ocr.engines.postprocess import (
    MAX_WORK_PIXELS,
    Fragment,
    assemble,
    padded_size,
    reading_order,
    respace,
    scale_box,
    upscale_factor,
    work_scale,
)


def rect(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def positions(text: str, pitch: float = 10.0, space: float = 10.0) -> list[float | None]:
    """Character centres for ``text`` typeset with ``pitch`` per character and ``space`` extra per space."""
    xs: list[float | None] = []
    x = 0.0
    for ch in text:
        if ch == " ":
            xs.append(None)
            x += space
        else:
            xs.append(x)
            x += pitch
    return xs


def test_two_columns_are_read_column_by_column():
    # Left column lines 0-3, right column lines 4-7, rows aligned across the gutter (like a newspaper page).
    boxes = [rect(50, 100 + 30 * i, 450, 120 + 30 * i) for i in range(4)]
    boxes += [rect(520, 100 + 30 * i, 900, 120 + 30 * i) for i in range(4)]
    order = reading_order(boxes)
    assert order == [[0], [1], [2], [3], [4], [5], [6], [7]]


def test_title_spanning_both_columns_comes_first():
    boxes = [rect(520, 100 + 30 * i, 900, 120 + 30 * i) for i in range(3)]  # right column listed first
    boxes += [rect(50, 100 + 30 * i, 450, 120 + 30 * i) for i in range(3)]
    boxes.append(rect(50, 40, 900, 70))  # title across the page
    assert [line[0] for line in reading_order(boxes)] == [6, 3, 4, 5, 0, 1, 2]


def test_receipt_rows_stay_rows():
    # Item names on the left, narrow prices on the right: rows, not two columns.
    boxes = []
    for i in range(5):
        boxes.append(rect(20, 100 + 25 * i, 300, 118 + 25 * i))
        boxes.append(rect(400, 101 + 25 * i, 450, 119 + 25 * i))
    assert reading_order(boxes) == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]


def test_form_with_short_labels_and_wide_values_stays_rows():
    # Labels of varying length on the left, right-aligned amounts wide enough to look like a column.
    labels = [80, 200, 60, 110, 320]
    boxes = []
    for i, width in enumerate(labels):
        boxes.append(rect(0, 100 + 35 * i, width, 130 + 35 * i))
        boxes.append(rect(500 + 10 * (i % 2), 101 + 35 * i, 680, 131 + 35 * i))
    assert reading_order(boxes) == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]


def test_words_on_one_line_read_left_to_right_despite_skew():
    boxes = [rect(300, 52, 400, 72), rect(10, 50, 120, 70), rect(150, 51, 280, 71)]
    assert reading_order(boxes) == [[1, 2, 0]]


def test_empty_input():
    assert reading_order([]) == []
    assert assemble([]) == []


def test_respace_inserts_spaces_at_wide_gaps():
    original = "the quick brown fox jumps"
    glued = original.replace(" ", "")
    xs = positions(original)
    glued_xs = [x for x in xs if x is not None]
    assert respace(glued, glued_xs) == original


def test_respace_keeps_tight_text_and_existing_spaces():
    text = "Document No: TD01167104"
    assert respace(text, positions(text)) == text
    assert respace("hello", positions("hello")) == "hello"


def test_respace_needs_positions():
    assert respace("HelloWorld", None) == "HelloWorld"
    assert respace("HelloWorld", [1.0, 2.0]) == "HelloWorld"  # length mismatch: unchanged
    assert respace("ab", [0.0, 50.0]) == "ab"  # too few pairs to know the pitch


def test_upscale_only_small_images():
    assert upscale_factor(640, 480) == 2
    assert upscale_factor(1700, 2200) == 1
    assert upscale_factor(3000, 100) == 1  # would exceed the side limit
    assert scale_box(rect(20, 40, 60, 80), 2) == rect(10, 20, 30, 40)


def test_padded_size_for_single_lines():
    assert padded_size(1200, 40) == (1200, 300)
    assert padded_size(40, 1200) == (300, 1200)
    assert padded_size(800, 600) == (800, 600)


def test_work_scale_upscales_small_pages_and_keeps_ordinary_ones():
    assert work_scale(1000, 400) == 2
    assert work_scale(1000, 400, upscale=False) == 1
    assert work_scale(2480, 3508) == 1  # an A4 page at 300 dpi


def test_work_scale_bounds_the_padded_canvas_of_extremely_elongated_images():
    for width, height in [(65535, 1), (1, 65535), (60000, 300), (20000, 20000)]:
        factor = work_scale(width, height)
        assert factor < 1
        canvas = padded_size(max(1, round(width * factor)), max(1, round(height * factor)))
        assert canvas[0] * canvas[1] <= MAX_WORK_PIXELS * 1.01, (width, height, canvas)


def test_assemble_joins_fragments_of_a_line_and_orders_lines():
    fragments = [
        Fragment("second line", 0.5, rect(10, 60, 200, 80)),
        Fragment("TOTAL", 1.0, rect(10, 20, 100, 40)),
        Fragment("9.00", 0.8, rect(300, 21, 340, 41)),
    ]
    lines = assemble(fragments)
    assert [line.text for line in lines] == ["TOTAL 9.00", "second line"]
    assert lines[0].box == [[10, 20], [340, 20], [340, 41], [10, 41]]
    assert abs(lines[0].confidence - (1.0 * 5 + 0.8 * 4) / 9) < 1e-9
    assert all(isinstance(v, int) for point in lines[1].box for v in point)


def test_uneven_columns_below_a_title():
    boxes = [rect(50, 40, 900, 70)]  # 0: title
    boxes += [rect(50, 100 + 30 * i, 450, 120 + 30 * i) for i in range(4)]  # 1-4: left column, 4 lines
    boxes += [rect(520, 100 + 30 * i, 900, 120 + 30 * i) for i in range(2)]  # 5-6: right column, 2 lines
    assert reading_order(boxes) == [[0], [1], [2], [3], [4], [5], [6]]


def test_three_justified_columns_with_padded_boxes_touching_across_narrow_gutters():
    # Detector boxes are padded ~0.3 x height on each side, so the 16 px gutters look closed (boxes overlap).
    boxes = []
    for left in (100, 620, 1140):
        boxes += [rect(left - 8, 100 + 30 * i, left + 508, 126 + 30 * i) for i in range(4)]
    boxes.append(rect(100, 40, 1600, 70))  # running header across the page
    order = [line[0] for line in reading_order(boxes)]
    assert order == [12, *range(12)]
