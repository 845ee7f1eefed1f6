"""HTTP and WebSocket application for netra_backend."""


def create_app():
    """Build the FastAPI app; imported lazily so library code does not need FastAPI."""
    from fastapi import FastAPI

    from netra_backend.app.routes import threads, websocket

    app = FastAPI(title="netra-backend (reroute example)")
    app.include_router(threads.router)
    app.include_router(websocket.router)
    return app
