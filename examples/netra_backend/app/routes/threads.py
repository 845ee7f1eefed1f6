"""Thread state endpoints: save and restore an agent conversation."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from netra_backend.app.services import state_persistence_optimized
from netra_backend.app.services.state_persistence_optimized import (OptimizedStatePersistenceService,
    StateSnapshot,  # also the wire format the agent runner saves
)

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/threads", tags=["threads"])


class SaveStateRequest(BaseModel):
    run_id: str
    user_id: str
    data: dict[str, Any]


def get_persistence() -> OptimizedStatePersistenceService:
    return state_persistence_optimized.get_state_persistence()


@router.put("/{thread_id}/state")
async def save_state(
    thread_id: str,
    body: SaveStateRequest,
    persistence: OptimizedStatePersistenceService = Depends(get_persistence),
) -> dict[str, Any]:
    snapshot = StateSnapshot(run_id=body.run_id, thread_id=thread_id, user_id=body.user_id, data=body.data)
    written = await persistence.save_snapshot(snapshot)
    return {"run_id": body.run_id, "written": written}


@router.get("/{thread_id}/state/{run_id}")
async def load_state(
    thread_id: str,
    run_id: str,
    persistence: OptimizedStatePersistenceService = Depends(get_persistence),
) -> dict[str, Any]:
    snapshot = await persistence.load_snapshot(run_id)
    if snapshot is None or snapshot.thread_id != thread_id:
        raise HTTPException(status_code=404, detail="no saved state for this run")
    return {"run_id": run_id, "saved_at": snapshot.saved_at, "data": snapshot.data}
