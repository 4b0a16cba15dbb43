"""Small PDFs written by hand for the text-layer tests: typed text in a base-14 font, text in a font without a
Unicode map, and scanned images (JPEG XObjects), placed where a test wants them. Coordinates are PDF points from
the page's bottom-left corner."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image

HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# A simple font whose codes map to glyph names no reader knows, with no /ToUnicode: what subset fonts without a
# Unicode map look like. It draws nothing readable (no font program), which does not matter to the text layer.
NO_UNICODE_MAP = (
    "<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Custom /FirstChar 32 /LastChar 126 "
    "/Widths [" + " ".join(["500"] * 95) + "] "
    "/Encoding << /Type /Encoding /Differences [32 " + " ".join(f"/g{n}" for n in range(32, 127)) + "] >> "
    "/FontDescriptor << /Type /FontDescriptor /FontName /ABCDEF+Custom /Flags 4 /FontBBox [0 -200 1000 800] "
    "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >> >>"
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@dataclass
class PageSpec:
    width: float = 612
    height: float = 792
    texts: list[tuple[float, float, float, str, str]] = field(default_factory=list)  # x, y, size, text, font
    images: list[tuple[float, float, float, float, Image.Image]] = field(default_factory=list)  # x, y, w, h, image

    def text(self, x: float, y: float, text: str, size: float = 11, font: str = "F1") -> PageSpec:
        self.texts.append((x, y, size, text, font))
        return self

    def image(self, x: float, y: float, w: float, h: float, image: Image.Image) -> PageSpec:
        self.images.append((x, y, w, h, image))
        return self


def build(pages: list[PageSpec]) -> bytes:
    """Return the bytes of a PDF with ``pages`` (fonts F1: Helvetica, F2: a font without a Unicode map)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    add(b"")  # 1: catalog, filled in below
    add(b"")  # 2: page tree
    f1, f2 = add(HELVETICA.encode()), add(NO_UNICODE_MAP.encode())
    kids = []
    for page in pages:
        xobjects, ops = [], []
        for number, (x, y, w, h, image) in enumerate(page.images):
            jpeg = io.BytesIO()
            image.convert("RGB").save(jpeg, "JPEG", quality=92)
            header = (
                f"<< /Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} "
                f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg.getvalue())} >>"
            )
            ref = add(header.encode() + b"\nstream\n" + jpeg.getvalue() + b"\nendstream")
            xobjects.append(f"/Im{number} {ref} 0 R")
            ops.append(f"q {w} 0 0 {h} {x} {y} cm /Im{number} Do Q")
        for x, y, size, text, font in page.texts:
            ops.append(f"BT /{font} {size} Tf {x} {y} Td ({_escape(text)}) Tj ET")
        content = "\n".join(ops).encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        resources = f"<< /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> /XObject << {' '.join(xobjects)} >> >>"
        kids.append(
            add(
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page.width} {page.height}] "
                f"/Resources {resources} /Contents {stream} 0 R >>".encode()
            )
        )
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def table_report(pages: int = 16, rows: int = 40) -> tuple[bytes, list[list[str]]]:
    """A born-digital report of ``pages`` pages of tables (dates, names, figures): the PDF's bytes and, per page,
    its lines as typed."""
    names = ["Ana Silva", "Ben Okafor", "Chen Wei", "Dana Novak", "Eli Haddad", "Fay Moreau", "Gus Lind"]
    specs, typed = [], []
    for page in range(pages):
        spec, lines = PageSpec(), [f"Report 2026-{page + 1:02d} | scores (%), attendance"]
        spec.text(50, 760, lines[0], size=12)
        for row in range(rows):
            line = (
                f"{row + 1:>3}. 2026-{(row % 12) + 1:02d}-{(row * 7) % 28 + 1:02d} {names[(row + page) % len(names)]} "
                f"{(row * 37 + page * 11) % 100}.{row % 10} {(row * 13) % 41}/40 #{1000 + row * page}"
            )
            spec.text(50, 730 - row * 17, line, size=10)
            lines.append(line)
        specs.append(spec)
        typed.append(lines)
    return build(specs), typed
