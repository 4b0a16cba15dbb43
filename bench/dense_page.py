"""A dense scanned page for the ``ocr-dense-page`` scenario: a timetable-like table of 24 rows x 20 columns (480 cells
of names, dates and figures) drawn on an A4 page at 200 dpi, slightly grey and noisy like a scan. Deterministic."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROWS, COLUMNS = 24, 20
SIZE = (1654, 2339)  # A4 at 200 dpi
NAMES = ["Ana", "Ben", "Chen", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jade", "Kai", "Lena", "Milo", "Nora"]


def cells(seed: int = 0) -> list[list[str]]:
    """The table's texts, row by row (the first row is a header)."""
    rng = random.Random(seed)
    header = ["No"] + [f"W{c}" for c in range(1, COLUMNS)]
    rows = [header]
    for r in range(1, ROWS):
        row = [str(r)]
        for c in range(1, COLUMNS):
            kind = (r + c) % 4
            if kind == 0:
                row.append(rng.choice(NAMES))
            elif kind == 1:
                row.append(f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}")
            elif kind == 2:
                row.append(f"{rng.randint(0, 99)}.{rng.randint(0, 9)}")
            else:
                row.append(f"{rng.randint(0, 40)}/40")
        rows.append(row)
    return rows


def page(seed: int = 0) -> Image.Image:
    """The page as an RGB image: ruled table, one cell text each, light noise and blur."""
    image = Image.new("RGB", SIZE, (244, 242, 236))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    left, top, cell_w, cell_h = 60, 140, (SIZE[0] - 120) // COLUMNS, 80
    draw.text((left, 60), f"Class timetable and scores, term {seed % 3 + 1}", fill=(25, 25, 25), font=font)
    for r, row in enumerate(cells(seed)):
        for c, text in enumerate(row):
            x, y = left + c * cell_w, top + r * cell_h
            draw.rectangle((x, y, x + cell_w, y + cell_h), outline=(90, 90, 90), width=2)
            draw.text((x + 8, y + 26), text, fill=(20, 20, 20), font=font)
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(SIZE[0] * SIZE[1] // 200):  # scanner speckle
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        pixels[x, y] = (160, 160, 160)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def png(seed: int = 0) -> bytes:
    out = io.BytesIO()
    page(seed).save(out, "PNG")
    return out.getvalue()
