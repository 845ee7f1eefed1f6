"""Agent conversation state persistence: one service since #198, write cache included."""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass
class StateSnapshot:
    run_id: str
    thread_id: str
    user_id: str
    data: dict[str, Any]
    saved_at: float = field(default_factory=time.time)


def serialize_state(snapshot: StateSnapshot) -> str:
    """Deterministic JSON for a snapshot (sorted keys, no whitespace)."""
    return json.dumps(asdict(snapshot), sort_keys=True, separators=(",", ":"))


def _fingerprint(snapshot: StateSnapshot) -> str:
    return hashlib.sha256(json.dumps(snapshot.data, sort_keys=True).encode()).hexdigest()


class StatePersistenceService:
    """Keeps the latest snapshot per run; state that did not change is not rewritten."""

    def __init__(self) -> None:
        self._snapshots: dict[str, str] = {}  # run_id -> serialized snapshot
        self._fingerprints: dict[str, str] = {}  # run_id -> hash of its data

    async def save_snapshot(self, snapshot: StateSnapshot) -> bool:
        fingerprint = _fingerprint(snapshot)
        if self._fingerprints.get(snapshot.run_id) == fingerprint:
            logger.debug("state for run %s unchanged, write skipped", snapshot.run_id)
            return False
        self._snapshots[snapshot.run_id] = serialize_state(snapshot)
        self._fingerprints[snapshot.run_id] = fingerprint
        return True

    async def load_snapshot(self, run_id: str) -> StateSnapshot | None:
        raw = self._snapshots.get(run_id)
        return None if raw is None else StateSnapshot(**json.loads(raw))


_service: StatePersistenceService | None = None


def get_state_persistence() -> StatePersistenceService:
    global _service
    if _service is None:
        _service = StatePersistenceService()
    return _service
