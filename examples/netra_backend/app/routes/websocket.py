"""The WebSocket endpoint clients keep open to receive agent events."""
from __future__ import annotations

import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from netra_backend.app.websocket_core import unified_manager

logger = logging.getLogger(__name__)
router = APIRouter()


@router.websocket("/ws")
async def agent_events(websocket: WebSocket) -> None:
    # The gateway authenticates the upgrade request and forwards the user id.
    user_id = websocket.headers.get("x-user-id")
    if not user_id:
        await websocket.close(code=4401)
        return
    manager = unified_manager.get_websocket_manager()
    await websocket.accept()
    await manager.connect(user_id, websocket)
    try:
        while True:
            message = await websocket.receive_json()
            if message.get("type") == "ping":
                await websocket.send_json({"type": "pong"})
    except WebSocketDisconnect:
        logger.info("user %s disconnected", user_id)
    finally:
        await manager.disconnect(user_id, websocket)
