"""Upload handling shared by every endpoint that takes files."""

import os

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.files.uploadhandler import TemporaryFileUploadHandler as DjangoTemporaryFileUploadHandler

#: Longest file-name extension kept in the name of a spooled upload's temporary file.
MAX_TEMP_SUFFIX = 16


class TemporaryFileUploadHandler(DjangoTemporaryFileUploadHandler):
    """Django's handler for uploads spooled to disk, minus its crash on a very long extension.

    Django names the temporary file ``<random>.upload<ext>`` with the client's extension: a file name such as
    ``page.xxx…`` (250 characters) makes that name too long for the file system (OSError ENAMETOOLONG, a 500).
    The temporary file here keeps at most MAX_TEMP_SUFFIX characters of the extension; the upload keeps its name.
    """

    def new_file(self, *args, **kwargs):
        FileUploadHandler.new_file(self, *args, **kwargs)
        _, ext = os.path.splitext(self.file_name or "")
        self.file = TemporaryUploadedFile(
            "upload" + ext[:MAX_TEMP_SUFFIX], self.content_type, 0, self.charset, self.content_type_extra
        )
        self.file.name = self.file_name
