"""UserExecutionEngine: runs agents for exactly one request (#565, #802).

It replaces the process-wide ExecutionEngine. Each instance is bound to one
UserExecutionContext, so state and events cannot leak between users.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Protocol

from netra_backend.app.services.user_execution_context import UserExecutionContext

logger = logging.getLogger(__name__)

AgentFn = Callable[[UserExecutionContext, dict[str, Any]], Awaitable[dict[str, Any]]]


class EventSink(Protocol):
    async def emit(self, user_id: str, event: str, payload: dict[str, Any]) -> int: ...


@dataclass
class AgentExecutionResult:
    agent_name: str
    success: bool
    output: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


class UserExecutionEngine:
    def __init__(self, context: UserExecutionContext, agents: dict[str, AgentFn],
                 events: EventSink | None = None, timeout: float = 30.0) -> None:
        self.context = context
        self._agents = agents
        self._events = events
        self._timeout = timeout

    async def _emit(self, event: str, **payload: Any) -> None:
        if self._events is not None:
            body = {"run_id": self.context.run_id, **payload}
            await self._events.emit(self.context.user_id, event, body)

    async def execute_agent(self, agent_name: str, payload: dict[str, Any]) -> AgentExecutionResult:
        agent = self._agents.get(agent_name)
        if agent is None:
            return AgentExecutionResult(agent_name, False, error=f"unknown agent {agent_name!r}")
        await self._emit("agent_started", agent_name=agent_name)
        try:
            output = await asyncio.wait_for(agent(self.context, payload), self._timeout)
        except Exception as exc:  # reported to the user, never raised into the socket loop
            logger.exception("agent %s failed for run %s", agent_name, self.context.run_id)
            await self._emit("agent_completed", agent_name=agent_name, success=False)
            return AgentExecutionResult(agent_name, False, error=str(exc) or type(exc).__name__)
        await self._emit("agent_completed", agent_name=agent_name, success=True)
        return AgentExecutionResult(agent_name, True, output=output)
