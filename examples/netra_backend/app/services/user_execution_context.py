"""Request-scoped user execution context (canonical home since #802).

Every request builds its own context; nothing in it is shared between users.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

# Ids that show up when a context is built from a half-initialised registry.
_PLACEHOLDER_IDS = frozenset({"", "none", "null", "registry", "default"})


class InvalidContextError(ValueError):
    """A context was built without a real user, thread or run id."""


@dataclass(frozen=True)
class UserExecutionContext:
    user_id: str
    thread_id: str
    run_id: str = field(default_factory=lambda: f"run_{uuid.uuid4().hex[:12]}")
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("user_id", "thread_id", "run_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or value.strip().lower() in _PLACEHOLDER_IDS:
                raise InvalidContextError(f"{name} must be a real id, got {value!r}")

    def with_metadata(self, **extra: Any) -> UserExecutionContext:
        """A copy with extra metadata; this context is left untouched."""
        return replace(self, metadata={**self.metadata, **extra})
