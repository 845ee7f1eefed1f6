"""netra_backend: a trimmed-down backend used to demonstrate reroute.

The package is caught in the middle of three "single source of truth"
consolidations. The canonical modules exist, and the deprecated ones
(services.state_persistence_optimized, agents.supervisor.user_execution_context
and websocket_core.unified_manager) have already been deleted, but many callers
still import the old paths. `reroute diff examples/` shows the fix.
"""

__version__ = "0.4.0"
