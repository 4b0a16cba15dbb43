"""PDF checks, text layers and rendering on the real sample PDFs and on hostile PDFs made here."""

import io
import threading

import pypdf
import pytest

from apps.ocr.errors import BadPdf, CorruptFile
from apps.ocr.pdf import PdfInfo, clean_text, inspect_pdf, page_dpi, render_page, text_layer

FEDERAL = "federal-register-2020-17221.pdf"
CK12 = "issue-598-example.pdf"


def _pdf(*sizes: tuple[float, float], password: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width=width, height=height)
    if password is not None:
        writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_page_counts_of_the_real_pdfs(pdfs_dir):
    info = inspect_pdf((pdfs_dir / FEDERAL).read_bytes())
    assert isinstance(info, PdfInfo)
    assert info.page_count == 15
    assert info.page_sizes[0] == (612.0, 792.0)
    assert inspect_pdf((pdfs_dir / CK12).read_bytes()).page_count == 1


def test_text_layer_of_the_textbook_page(pdfs_dir):
    text = text_layer((pdfs_dir / CK12).read_bytes(), 0)
    assert text is not None
    assert "Earth Science" in text
    assert "disciplined" in text  # PDFium's hyphenation mark is removed, the word rejoined
    assert "\r" not in text


def test_render_page_uses_the_dpi(pdfs_dir):
    data = (pdfs_dir / CK12).read_bytes()
    img = render_page(data, 0, dpi=100)
    assert img.mode == "RGB"
    assert img.size == (850, 1100)  # 8.5 x 11 inches at 100 dpi
    assert img.getextrema()[0][0] < 50  # there is dark ink on the page


def test_password_protected_pdf_is_bad():
    data = _pdf((612, 792), password="secret")
    with pytest.raises(BadPdf, match="password"):
        inspect_pdf(data)
    with pytest.raises(BadPdf):
        render_page(data, 0)


def test_too_many_pages_is_bad(pdfs_dir, settings):
    settings.OCR_MAX_PAGES = 2
    with pytest.raises(BadPdf, match="at most 2 pages"):
        inspect_pdf((pdfs_dir / FEDERAL).read_bytes())


def test_one_page_over_the_default_limit_is_bad(settings):
    data = _pdf(*[(612, 792)] * (settings.OCR_MAX_PAGES + 1))
    with pytest.raises(BadPdf, match=f"at most {settings.OCR_MAX_PAGES} pages"):
        inspect_pdf(data)


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_truncated_pdf_is_corrupt(pdfs_dir, cut):
    data = (pdfs_dir / FEDERAL).read_bytes()
    with pytest.raises(CorruptFile):
        inspect_pdf(data[: int(len(data) * cut)])


def test_garbage_with_a_pdf_header_is_corrupt():
    with pytest.raises(CorruptFile):
        inspect_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100)


@pytest.mark.parametrize("size", [(72 * 300, 792), (612, 36)], ids=["300-inch", "half-inch"])
def test_absurd_page_sizes_are_bad(size):
    with pytest.raises(BadPdf, match="inches"):
        inspect_pdf(_pdf((612, 792), size))


def test_large_page_is_rendered_at_a_lower_dpi_within_the_pixel_limit(settings):
    settings.OCR_MAX_PIXELS = 2_000_000
    data = _pdf((72 * 40, 72 * 30))  # a 40 x 30 inch poster: 48 Mpx at 200 dpi
    assert inspect_pdf(data).page_count == 1
    dpi = page_dpi(72 * 40, 72 * 30, 200)
    assert 35 < dpi < 41
    img = render_page(data, 0, dpi=200)
    assert img.width * img.height <= 2_000_000
    assert img.width > img.height


def test_blank_page_has_no_text_layer():
    assert text_layer(_pdf((612, 792)), 0) is None


def test_page_index_out_of_range(pdfs_dir):
    with pytest.raises(IndexError):
        text_layer((pdfs_dir / CK12).read_bytes(), 1)


def test_clean_text_drops_pdfium_marks():
    assert clean_text("disci\x02plined\r\nscience  fiction\r\n\r\n") == "disciplined\nscience fiction"


def test_pdfium_calls_from_several_threads(pdfs_dir):
    data = (pdfs_dir / FEDERAL).read_bytes()
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            assert text_layer(data, index % 2) is not None
            render_page(data, index % 3, dpi=50)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
