"""Work a web process does once at start instead of in its first requests.

Django imports the URLconf (and with it every API module) on the first request, the tutor's LangChain client is
built, with its OpenAI SDK imports, on the first chat message, and the first upload imports the image and PDF
libraries: together about a second of CPU that, after a deploy or a restart, landed on whichever requests came
first, and on the event loop every other request shares.
"""

import io
import logging
import time

logger = logging.getLogger(__name__)


def warm_up() -> None:
    started = time.perf_counter()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports the URLconf and every module it names)
    try:
        from apps.chat import llm

        llm.chat_model()
    except Exception:  # a bad LLM setting shows up on the chat endpoints, with its own error; serving goes on
        logger.exception("could not build the tutor's chat model at start")
    _check_an_upload()
    from apps.progress import profiling  # the first learner message's word profile loads cefrpy and simplemma

    profiling.word_counts("Warm up: the learners were reading their books.")  # ~0.3 s once, not in a request
    logger.info("web process warmed up in %.0f ms", (time.perf_counter() - started) * 1000)


def _check_an_upload() -> None:
    """Check a small PNG as an upload: imports pdfium and Pillow's format plugins, about 80 ms that the first OCR
    upload of every web process paid otherwise (``python -m bench.cpu_split --scenario ocr-burst --py-spy``)."""
    from PIL import Image

    from apps.ocr import imaging, pdf  # noqa: F401

    Image.init()  # every format plugin, as the first TIFF or WebP upload would
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    imaging.check_upload(buffer.getvalue(), "warm-up.png")
