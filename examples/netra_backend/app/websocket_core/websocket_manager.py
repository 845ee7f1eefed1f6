"""WebSocketManager: the one WebSocket manager (SSOT since #824).

Connections are grouped by user id, and an event is only ever sent to the
connections of the user it belongs to.
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class WebSocketConnection(Protocol):
    async def send_text(self, data: str) -> None: ...


class WebSocketManager:
    def __init__(self) -> None:
        self._connections: dict[str, set[WebSocketConnection]] = defaultdict(set)

    async def connect(self, user_id: str, connection: WebSocketConnection) -> None:
        self._connections[user_id].add(connection)
        logger.info("user %s connected (%d open)", user_id, len(self._connections[user_id]))

    async def disconnect(self, user_id: str, connection: WebSocketConnection) -> None:
        connections = self._connections.get(user_id)
        if connections is not None:
            connections.discard(connection)
            if not connections:
                del self._connections[user_id]

    def connection_count(self, user_id: str) -> int:
        return len(self._connections.get(user_id, ()))

    async def emit(self, user_id: str, event: str, payload: dict[str, Any]) -> int:
        """Send an event to every connection of `user_id`; returns how many got it."""
        message = json.dumps({"type": event, "payload": payload})
        delivered = 0
        for connection in list(self._connections.get(user_id, ())):
            try:
                await connection.send_text(message)
            except Exception:  # one dead socket must not stop delivery to the others
                logger.warning("dropping dead connection for user %s", user_id)
                await self.disconnect(user_id, connection)
            else:
                delivered += 1
        return delivered


_manager: WebSocketManager | None = None


def get_websocket_manager() -> WebSocketManager:
    global _manager
    if _manager is None:
        _manager = WebSocketManager()
    return _manager
