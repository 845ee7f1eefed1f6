"""State persistence and thread recovery tests."""
import asyncio
from unittest import mock
from unittest.mock import AsyncMock, patch

import pytest

from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.services import state_recovery
from netra_backend.app.services.state_persistence_optimized import OptimizedStatePersistenceService, StateSnapshot


@pytest.fixture
def context():
    return UserExecutionContext(user_id="user-1", thread_id="thread-1", run_id="run-1")


def make_snapshot(**overrides):
    fields = {"run_id": "run-1", "thread_id": "thread-1", "user_id": "user-1", "data": {"step": 3}}
    return StateSnapshot(**{**fields, **overrides})


def test_unchanged_state_is_written_once():
    service = OptimizedStatePersistenceService()
    assert asyncio.run(service.save_snapshot(make_snapshot())) is True
    assert asyncio.run(service.save_snapshot(make_snapshot())) is False
    assert asyncio.run(service.save_snapshot(make_snapshot(data={"step": 4}))) is True


def test_recover_thread_reads_through_the_shared_service(context):
    with mock.patch("netra_backend.app.services.state_persistence_optimized._service", None):
        with mock.patch("netra_backend.app.services.state_persistence_optimized.OptimizedStatePersistenceService") as service_cls:
            service_cls.return_value.load_snapshot = AsyncMock(return_value=make_snapshot())
            assert asyncio.run(state_recovery.recover_thread(context, "run-1")) == {"step": 3}
    service_cls.return_value.load_snapshot.assert_awaited_once_with("run-1")


@patch("netra_backend.app.services.state_persistence_optimized.get_state_persistence")
def test_recover_thread_refuses_another_users_run(get_persistence, context):
    get_persistence.return_value.load_snapshot = AsyncMock(return_value=make_snapshot(user_id="user-2"))
    with pytest.raises(PermissionError):
        asyncio.run(state_recovery.recover_thread(context, "run-1"))


@patch("netra_backend.app.services.state_persistence_optimized.get_state_persistence")
def test_nothing_to_recover(get_persistence, context):
    get_persistence.return_value.load_snapshot = AsyncMock(return_value=None)
    assert asyncio.run(state_recovery.recover_thread(context, "run-1")) is None
