"""Restores a thread's agent state when a worker picks up an interrupted run."""
from __future__ import annotations

import importlib
import logging
from typing import Any

from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext

logger = logging.getLogger(__name__)


def _persistence() -> Any:
    # Resolved at call time so that workers and tests can swap the backend.
    module = importlib.import_module("netra_backend.app.services.state_persistence_optimized")
    return module.get_state_persistence()


async def recover_thread(context: UserExecutionContext, run_id: str) -> dict[str, Any] | None:
    """The latest saved state for `run_id`, or None if there is nothing to resume."""
    snapshot = await _persistence().load_snapshot(run_id)
    if snapshot is None:
        logger.info(
            "no snapshot for run %s (snapshots written by "
            "netra_backend.app.services.state_persistence_optimized before #198 were not kept)",
            run_id,
        )
        return None
    if snapshot.user_id != context.user_id or snapshot.thread_id != context.thread_id:
        raise PermissionError(f"run {run_id} does not belong to this user's thread")
    return snapshot.data
