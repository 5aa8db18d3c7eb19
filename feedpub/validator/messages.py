"""Validation findings: the `Message` record and the `Report` that collects them."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"

Position = tuple[int | None, int | None]
NOWHERE: Position = (None, None)


@dataclass(frozen=True)
class Message:
    """One finding about a document, located by 1-based line and column when known."""

    severity: str
    code: str
    message: str
    line: int | None
    column: int | None


def sort_key(message: Message) -> tuple[int, int]:
    """Order messages by position; document-level messages (no line) come first."""
    return (message.line or 0, message.column or 0)


class Report:
    """Collects messages while a document is checked, then hands them back sorted.

    Identical messages (same severity, code, text and position) are kept once, so a rule
    that runs twice over the same node does not double-report.
    """

    def __init__(self) -> None:
        self._messages: dict[Message, None] = {}
        self.recorded = 0  # calls to add, repeats included: did a check find anything at all?

    def add(self, severity: str, code: str, text: str, position: Position = NOWHERE) -> None:
        """Record one message at `position` (a `(line, column)` pair)."""
        line, column = position
        self.recorded += 1
        self._messages[Message(severity, code, text, line, column)] = None

    def error(self, code: str, text: str, position: Position = NOWHERE) -> None:
        """Record an error: the document breaks a MUST of its specification."""
        self.add(ERROR, code, text, position)

    def warning(self, code: str, text: str, position: Position = NOWHERE) -> None:
        """Record a warning: valid, but likely to cause trouble in readers."""
        self.add(WARNING, code, text, position)

    def info(self, code: str, text: str, position: Position = NOWHERE) -> None:
        """Record an informational note."""
        self.add(INFO, code, text, position)

    def messages(self) -> list[Message]:
        """All messages, sorted by (line, column), in recording order within a position."""
        return sorted(self._messages, key=sort_key)
