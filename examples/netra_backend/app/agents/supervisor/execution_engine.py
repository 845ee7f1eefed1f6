"""Deprecated compatibility bridge for the old ExecutionEngine (#565, #802).

ExecutionEngine is now UserExecutionEngine, and UserExecutionContext lives in
netra_backend.app.services.user_execution_context. This module only re-exports
them so that code which has not been migrated yet keeps importing. Once reroute
has moved every caller to the canonical paths, delete it.
"""
import warnings

from netra_backend.app.agents.supervisor.user_execution_engine import (
    UserExecutionEngine as ExecutionEngine,
)
from netra_backend.app.services.user_execution_context import UserExecutionContext

__all__ = ["ExecutionEngine", "UserExecutionContext"]

warnings.warn(
    "netra_backend.app.agents.supervisor.execution_engine is deprecated: import "
    "UserExecutionEngine from netra_backend.app.agents.supervisor.user_execution_engine",
    DeprecationWarning,
    stacklevel=2,
)
