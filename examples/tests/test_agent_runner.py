"""Agent runner, event emitter and legacy import path tests."""
import asyncio
import json
import warnings

import pytest

import netra_backend.app.websocket_core.unified_manager as ws_manager
from netra_backend.app.agents.supervisor.agent_runner import AgentRunner
from netra_backend.app.agents.supervisor.user_execution_context import InvalidContextError
from netra_backend.app.websocket_core.event_emitter import AgentEventEmitter
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager


class FakeSocket:
    def __init__(self):
        self.events = []

    async def send_text(self, data):
        self.events.append(json.loads(data)["type"])


async def shout(context, payload):
    return {"reply": payload["message"].upper()}


def test_events_reach_only_the_requesting_user():
    manager = UnifiedWebSocketManager()
    alice, bob = FakeSocket(), FakeSocket()

    async def scenario():
        await manager.connect("alice", alice)
        await manager.connect("bob", bob)
        runner = AgentRunner({"shout": shout}, websocket_manager=manager)
        return await runner.run_turn("alice", "thread-1", "shout", "hi")

    result = asyncio.run(scenario())
    assert result.success and result.output == {"reply": "HI"}
    assert alice.events == ["agent_started", "agent_completed"]
    assert bob.events == []


def test_emitter_rejects_a_missing_context():
    with pytest.raises(InvalidContextError):
        AgentEventEmitter(context=None, manager=ws_manager.get_websocket_manager())


def test_legacy_execution_engine_path_still_resolves():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # reroute: ignore
    from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

    assert ExecutionEngine is UserExecutionEngine
