"""Work a web process does once at start instead of in its first requests.

Django imports the URLconf (and with it every API module) on the first request, and the tutor's LangChain client is
built, with its OpenAI SDK imports, on the first chat message: together about a second of CPU that, after a deploy or
a restart, landed on whichever requests came first, and on the event loop every other request shares.
"""

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
    logger.info("web process warmed up in %.0f ms", (time.perf_counter() - started) * 1000)
