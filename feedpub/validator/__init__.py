"""Feed validator: checks RSS 2.0, Atom 1.0 and JSON Feed documents given as bytes.

`validate_document(data)` returns `Message`s (severity, code, message, line, column) sorted
by position; it never raises for any input. Which findings are errors and which warnings
follows the W3C Feed Validation Service. No CLI code lives here: see `feedpub validate`.
"""

from __future__ import annotations

from .document import MAX_DOCUMENT_BYTES, Checked, check_document, validate_document
from .files import iter_feed_files, validate_path
from .messages import ERROR, INFO, WARNING, Message
from .report import format_text, to_json_records

__all__ = [
    "ERROR",
    "Checked",
    "INFO",
    "MAX_DOCUMENT_BYTES",
    "WARNING",
    "check_document",
    "Message",
    "format_text",
    "iter_feed_files",
    "to_json_records",
    "validate_document",
    "validate_path",
]
