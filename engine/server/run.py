"""Running the application under uvicorn: the loopback rule, SIGHUP reloads, and a clean stop
(the decision log commits what is waiting before the process ends)."""
from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

import uvicorn

from quanze.decisionlog import GroupCommitter

from .app import create_app
from .auth import is_loopback
from .versions import Served


class ServeError(ValueError):
    """A server that must not start as asked: the message says why."""


def check_host(host: str, tokens) -> None:
    if tokens is None and not is_loopback(host):
        raise ServeError(f"--host {host}: without --tokens the server listens on loopback only "
                         f"(127.0.0.1, ::1, localhost); give --tokens FILE to serve other machines")


def serve(served: Served, log: GroupCommitter, host: str, port: int, tokens: dict | None,
          say=lambda line: print(line, file=sys.stderr, flush=True)) -> None:
    """Serve until SIGINT or SIGTERM. SIGHUP reloads the lists (`Served.reload`)."""
    check_host(host, tokens)
    app = create_app(served, log, tokens, on_error=say)

    async def reload():
        line = await asyncio.get_running_loop().run_in_executor(None, served.reload)
        say(f"quanze serve: {line}")

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(reload()))
        lists = ", ".join(f"{l.id} {l.digest[:19]}" for l in served.current.library.lists)
        shown = f"[{host}]" if ":" in host else host
        say(f"quanze serve: http://{shown}:{port}/ — lists {lists}; log {getattr(log.store, 'path', '')}; "
            f"{'tokens required' if tokens else 'no tokens: loopback only'}; SIGHUP reloads the lists")
        try:
            yield
        finally:
            loop.remove_signal_handler(signal.SIGHUP)

    config = uvicorn.Config(_Lifespan(app, lifespan), host=host, port=port, log_level="warning",
                            access_log=False, lifespan="on", http="auto", server_header=False,
                            timeout_graceful_shutdown=10)
    try:
        uvicorn.Server(config).run()
    finally:
        log.close()


class _Lifespan:
    """The application with a lifespan handler in front (the app itself is built without one, so that
    tests drive it with no signal handlers installed)."""

    def __init__(self, app, lifespan):
        self.app, self.lifespan = app, lifespan

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        message = await receive()
        assert message["type"] == "lifespan.startup"
        async with self.lifespan(self.app):
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
        await send({"type": "lifespan.shutdown.complete"})
