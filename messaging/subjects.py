"""The hook through which an app tells the messaging layer about its own subjects at send time.

An app that records messages about its objects (booking: appointments; intake: intakes; care plans:
care plans) registers, in its AppConfig.ready(), one reader per subject type. At send time the
delivery calls the reader with the claimed ledger row; the reader re-reads the object and returns a
`Reading`: why the message must not go any more, its subject line, the template context, a new
recipient list (an escalation goes to whoever is on call now) and any attachments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from messaging.models import OutgoingMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str | bytes
    mimetype: str


@dataclass(frozen=True)
class Reading:
    """What the owning app says about a message's subject when the message is about to go."""

    skip: str = ""
    subject_line: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)
    recipients: Sequence[str] | None = None
    attachments: Sequence[Attachment] = ()


Reader = Callable[["OutgoingMessage"], Reading]

_readers: dict[str, Reader] = {}


def key(subject_type: str, pk: int) -> str:
    """The ledger's name for one subject: "appointment:12"."""
    return f"{subject_type}:{pk}"


def register(subject_type: str, reader: Reader) -> None:
    """Called once per subject type, from the owning app's AppConfig.ready()."""
    _readers[subject_type] = reader


def read(message: OutgoingMessage) -> Reading:
    try:
        reader = _readers[message.subject_type]
    except KeyError:
        raise ImproperlyConfigured(
            f"No app registered a reader for {message.subject_type!r} messages"
        ) from None
    return reader(message)
