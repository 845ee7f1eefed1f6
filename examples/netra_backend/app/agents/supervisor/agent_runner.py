"""Runs one supervisor turn: execute the agent, stream its events, save its state."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import netra_backend.app.services.state_persistence_optimized
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine, UserExecutionContext

if TYPE_CHECKING:
    from netra_backend.app.agents.supervisor.user_execution_engine import AgentExecutionResult, AgentFn
    from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager

logger = logging.getLogger(__name__)


class AgentRunner:
    def __init__(
        self,
        agents: dict[str, AgentFn],
        websocket_manager: UnifiedWebSocketManager | None = None,
    ) -> None:
        self._agents = agents
        self._websocket_manager = websocket_manager

    async def run_turn(self, user_id: str, thread_id: str, agent_name: str, message: str) -> AgentExecutionResult:
        context = UserExecutionContext(user_id=user_id, thread_id=thread_id)
        engine = ExecutionEngine(context, self._agents, events=self._websocket_manager)
        result = await engine.execute_agent(agent_name, {"message": message})
        if not result.success:
            logger.warning("run %s for user %s failed: %s", context.run_id, user_id, result.error)
            return result
        snapshot = netra_backend.app.services.state_persistence_optimized.StateSnapshot(
            run_id=context.run_id, thread_id=thread_id, user_id=user_id, data=result.output
        )
        persistence = netra_backend.app.services.state_persistence_optimized.get_state_persistence()
        await persistence.save_snapshot(snapshot)
        return result


def build_default_runner(agents: dict[str, AgentFn]) -> AgentRunner:
    """A runner wired to the process-wide WebSocket manager."""
    from netra_backend.app.websocket_core.unified_manager import get_websocket_manager

    return AgentRunner(agents, websocket_manager=get_websocket_manager())
