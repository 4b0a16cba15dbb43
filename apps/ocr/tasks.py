"""The OCR actors' references, and the queue an upload's work goes to.

A document actor plans the pages and page actors recognise them; both go to the queue of the upload's kind.
"""

from apps.jobs import queues
from apps.jobs.queues import ActorRef
from apps.ocr.models import DocumentKind

DOCUMENT = ActorRef("ocr.document", queues.DOCUMENTS)
PAGE = ActorRef("ocr.page", queues.DOCUMENTS)


def queue_for(kind: str) -> str:
    """The queue a document's work goes to: a single image is interactive (someone waits), the rest batch work."""
    return queues.INTERACTIVE if kind == DocumentKind.IMAGE else queues.DOCUMENTS
