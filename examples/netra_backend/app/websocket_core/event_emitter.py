"""Per-run emitter for the five agent lifecycle events."""
from __future__ import annotations

import logging
from typing import Any

import netra_backend.app.agents.supervisor.user_execution_context as user_ctx

try:
    from netra_backend.app.websocket_core.unified_manager import get_websocket_manager
except ImportError:  # unified_manager is being folded into websocket_manager (#824)
    from netra_backend.app.websocket_core.websocket_manager import get_websocket_manager

logger = logging.getLogger(__name__)

CRITICAL_EVENTS = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")


class AgentEventEmitter:
    """Binds the WebSocket manager to one request, so events reach only its user."""

    def __init__(self, context: user_ctx.UserExecutionContext, manager: Any = None) -> None:
        if not isinstance(context, user_ctx.UserExecutionContext):
            raise user_ctx.InvalidContextError("AgentEventEmitter needs a request-scoped UserExecutionContext")
        self._context = context
        self._manager = manager if manager is not None else get_websocket_manager()

    async def emit(self, event: str, **payload: Any) -> int:
        if event not in CRITICAL_EVENTS:
            raise ValueError(f"unknown agent event {event!r}")
        body = {"run_id": self._context.run_id, "thread_id": self._context.thread_id, **payload}
        delivered = await self._manager.emit(self._context.user_id, event, body)
        if delivered == 0:
            logger.warning("%s for run %s reached no open connection", event, self._context.run_id)
        return delivered

    async def agent_thinking(self, thought: str) -> int:
        return await self.emit("agent_thinking", thought=thought)

    async def tool_executing(self, tool_name: str) -> int:
        return await self.emit("tool_executing", tool_name=tool_name)

    async def tool_completed(self, tool_name: str, result: Any) -> int:
        return await self.emit("tool_completed", tool_name=tool_name, result=result)
