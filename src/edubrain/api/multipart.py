"""A multipart/form-data body parsed as it streams: one file part written to disk, a few small text fields.

Used by :mod:`edubrain.api.uploads` once the caller is authenticated. The
parser is python-multipart's (the one Starlette uses); this module decides
what is kept: exactly one file part, named ``file``, written under a cap of
``file_limit`` bytes, and at most :data:`MAX_FIELDS` text fields of at most
:data:`MAX_FIELD_BYTES` each. Nothing here is async: the caller feeds
chunks with :meth:`FormStream.write` and writes the file data with
:meth:`FormStream.flush` off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

FILE_FIELD = "file"
MAX_FIELDS = 16
MAX_FIELD_BYTES = 8192


class MultipartError(Exception):
    """A body that is not an acceptable form; ``too_large`` when its file is over the cap.

    Args:
        message: What is wrong (English; the API adds Chinese).
        loc: The form field concerned, if any.
        too_large: The file part is over the cap.
    """

    def __init__(self, message: str, *, loc: Sequence[str] = (), too_large: bool = False) -> None:
        super().__init__(message)
        self.loc = list(loc)
        self.too_large = too_large


def boundary_of(content_type: str) -> bytes:
    """The boundary of a ``multipart/form-data`` content type.

    Raises:
        MultipartError: another content type, or no boundary.
    """
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise MultipartError("Send the file as multipart/form-data")
    boundary = options.get(b"boundary")
    if not boundary:
        raise MultipartError("The multipart/form-data content type has no boundary")
    return boundary


class FormStream:
    """Callbacks of python-multipart's parser keeping one file (on disk) and the text fields (in memory).

    Args:
        boundary: The multipart boundary.
        folder: Where the file part is written.
        file_name: Makes the client's file name safe to use in ``folder``.
        file_limit: Largest file part in bytes.
    """

    def __init__(self, boundary: bytes, folder: Path, file_name: Callable[[str | None], str], file_limit: int) -> None:
        self.folder, self.file_name, self.file_limit = folder, file_name, file_limit
        self.fields: dict[str, str] = {}
        self.path: Path | None = None
        self.size = 0
        self._out: BinaryIO | None = None
        self._pending: list[bytes] = []
        self._name: str | None = None
        self._in_file = False
        self._value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._header = [b"", b""]
        self._ended = False
        try:
            self._parser = MultipartParser(
                boundary,
                {
                    "on_part_begin": self._part_begin,
                    "on_part_data": self._part_data,
                    "on_part_end": self._part_end,
                    "on_header_field": lambda data, start, end: self._add_header(0, data[start:end]),
                    "on_header_value": lambda data, start, end: self._add_header(1, data[start:end]),
                    "on_header_end": self._header_end,
                    "on_headers_finished": self._headers_finished,
                    "on_end": self._end,
                },
            )
        except FormParserError as exc:
            raise MultipartError(str(exc)) from None

    def write(self, chunk: bytes) -> None:
        """Parse the next chunk of the body (file data waits for :meth:`flush`)."""
        try:
            self._parser.write(chunk)
        except FormParserError as exc:
            raise MultipartError(f"Malformed multipart body: {exc}") from None

    def flush(self) -> None:
        """Write the file data parsed so far."""
        if self._out is not None:
            for data in self._pending:
                self._out.write(data)
        self._pending.clear()

    def finish(self) -> None:
        """Check that the body ended with its closing boundary and close the file.

        Raises:
            MultipartError: the body stopped before its end.
        """
        self._parser.finalize()
        if not self._ended:
            raise MultipartError("The multipart body ends before its closing boundary")
        self.close()

    def close(self) -> None:
        """Close the file (after :meth:`finish`, or on a refusal)."""
        self.flush()
        if self._out is not None:
            self._out.close()
            self._out = None

    def _part_begin(self) -> None:
        self._headers, self._name, self._in_file = {}, None, False
        self._value = bytearray()

    def _add_header(self, which: int, data: bytes) -> None:
        self._header[which] += data

    def _header_end(self) -> None:
        self._headers[self._header[0].strip().lower()] = self._header[1].strip()
        self._header = [b"", b""]

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise MultipartError('A form part has no Content-Disposition "name"')
        self._name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.fields) >= MAX_FIELDS:
                raise MultipartError(f"More than {MAX_FIELDS} form fields")
            return
        if self._name != FILE_FIELD or self.path is not None:
            raise MultipartError(f"Send exactly one file, as the form field '{FILE_FIELD}'", loc=[self._name])
        self._in_file = True
        self.path = self.folder / self.file_name(options[b"filename"].decode("utf-8", "replace"))
        self._out = self.path.open("wb")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.size += end - start
            if self.size > self.file_limit:
                raise MultipartError("The file is over the upload limit", loc=[FILE_FIELD], too_large=True)
            self._pending.append(bytes(data[start:end]))
            return
        self._value += data[start:end]
        if len(self._value) > MAX_FIELD_BYTES:
            raise MultipartError(f"A form field is over {MAX_FIELD_BYTES} bytes", loc=[self._name or ""])

    def _part_end(self) -> None:
        if not self._in_file and self._name is not None:
            self.fields[self._name] = self._value.decode("utf-8", "replace")

    def _end(self) -> None:
        self._ended = True
