"""Upload checks and safe decoding on real images and on hostile inputs made here."""

import io
import os
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from apps.ocr.errors import CorruptFile, FileTooLarge, UnsupportedMediaType
from apps.ocr.imaging import check_upload, open_image, sniff, to_rgb

REAL = {
    "tess_phototest.png": ("png", (640, 480)),
    "sroie_000.jpg": ("jpeg", (463, 1013)),
    "uw3_010001.png": ("png", (1102, 39)),
    "tessjs_cosmic.png": ("png", (400, 400)),
}


def _encode(img: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **params)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_images_decode_to_rgb(images_dir, name):
    data = (images_dir / name).read_bytes()
    kind, size = REAL[name]
    assert sniff(data) == kind
    assert check_upload(data, name) == "image"
    img = open_image(data)
    assert img.mode == "RGB"
    assert img.size == size


@pytest.mark.parametrize(
    "fmt,kind", [("PNG", "png"), ("JPEG", "jpeg"), ("WEBP", "webp"), ("TIFF", "tiff"), ("BMP", "bmp")]
)
def test_sniff_every_supported_format(fmt, kind):
    data = _encode(Image.new("RGB", (20, 10), "white"), fmt)
    assert sniff(data) == kind
    assert open_image(data).size == (20, 10)


def test_sniff_pdf_and_unknown():
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"hello world") is None
    assert sniff(b"") is None
    assert sniff(b"BM" + b"\x00" * 30) is None  # "BM" alone is not enough for a bitmap


@pytest.mark.parametrize("name", ["tess_phototest.png", "sroie_000.jpg"])
def test_truncated_real_image_is_corrupt(images_dir, name):
    data = (images_dir / name).read_bytes()
    truncated = data[: len(data) // 2]
    with pytest.raises(CorruptFile):
        open_image(truncated)


def test_garbage_after_png_signature_is_corrupt():
    with pytest.raises(CorruptFile):
        check_upload(b"\x89PNG\r\n\x1a\n" + os.urandom(200), "x.png")


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not an image")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [os.urandom(4096), b"Dear teacher,\nplease find my homework attached.\n" * 20, _zip_bytes()],
    ids=["random", "text", "zip"],
)
def test_non_images_are_unsupported_whatever_the_name(data):
    with pytest.raises(UnsupportedMediaType):
        check_upload(data, "homework.png")
    with pytest.raises(UnsupportedMediaType):
        open_image(data)


def test_pdf_is_not_an_image_but_is_a_valid_upload():
    data = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    assert check_upload(data, "worksheet.jpg") == "pdf"
    with pytest.raises(UnsupportedMediaType):
        open_image(data)


def test_empty_upload_is_corrupt():
    with pytest.raises(CorruptFile):
        check_upload(b"", "empty.png")


def test_upload_over_byte_limit(settings):
    settings.OCR_MAX_UPLOAD_BYTES = 1024
    data = _encode(Image.effect_noise((64, 64), 100).convert("RGB"), "PNG")
    assert len(data) > 1024
    with pytest.raises(FileTooLarge, match="limit"):
        check_upload(data, "noise.png")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_png_header_claiming_huge_size_is_refused_before_decoding():
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 100))
    with pytest.raises(FileTooLarge, match="pixels"):
        check_upload(data, "bomb.png")
    with pytest.raises(FileTooLarge):
        open_image(data)


def test_small_file_decoding_to_many_pixels_is_refused(settings):
    settings.OCR_MAX_PIXELS = 1_000_000
    data = _encode(Image.new("L", (2000, 1000), 255), "PNG", optimize=True)
    assert len(data) < 20_000  # highly compressible: tiny on disk, 2 Mpx in memory
    with pytest.raises(FileTooLarge):
        open_image(data)


def test_exif_orientation_is_applied():
    img = Image.new("RGB", (40, 20), "white")
    img.paste((255, 0, 0), (0, 0, 10, 10))  # red square top-left of the stored pixels
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    data = _encode(img, "JPEG", exif=exif.tobytes(), quality=95)
    upright = open_image(data)
    assert upright.size == (20, 40)
    red, green, _ = upright.getpixel((15, 5))  # the square is now top-right
    assert red > 200 and green < 60


def test_palette_with_transparency_becomes_rgb_on_white():
    img = Image.new("P", (10, 10), 0)
    img.putpalette([0, 0, 0, 10, 20, 30] + [0] * (256 * 3 - 6))
    img.info["transparency"] = 0
    img.putpixel((5, 5), 1)
    decoded = open_image(_encode(img, "PNG"))
    assert decoded.mode == "RGB"
    assert decoded.getpixel((0, 0)) == (255, 255, 255)  # transparent black became white paper
    assert decoded.getpixel((5, 5)) == (10, 20, 30)


def test_16_bit_image_is_stretched_to_8_bit():
    img = Image.new("I;16", (4, 1))
    for x, value in enumerate([0, 1000, 2000, 4095]):  # a 12-bit scan stored in 16 bits
        img.putpixel((x, 0), value)
    rgb = to_rgb(img)
    assert rgb.mode == "RGB"
    assert rgb.getpixel((0, 0)) == (0, 0, 0)
    assert rgb.getpixel((3, 0))[0] >= 254


def test_cmyk_and_multiframe_tiff_first_frame():
    frames = [Image.new("CMYK", (30, 20), (0, 0, 0, 0)), Image.new("CMYK", (50, 50), (0, 0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    decoded = open_image(out.getvalue())
    assert decoded.mode == "RGB"
    assert decoded.size == (30, 20)
    assert decoded.getpixel((1, 1)) == (255, 255, 255)
