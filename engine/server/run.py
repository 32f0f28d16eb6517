"""Running the application under uvicorn: the loopback rule, SIGHUP reloads, and a clean stop
(uvicorn lets the requests in flight finish; the decision log then commits what they wait for and
closes before the process ends)."""
from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys

import uvicorn

from quanze.decisionlog import GroupCommitter
from quanze.errors import QuanzeError
from quanze.messages import os_error
from quanze.model import Text

from .app import create_app
from .auth import is_loopback
from .versions import Served


class ServeError(QuanzeError, ValueError):
    """A server that must not start as asked: the message says why."""


def check_host(host: str, tokens) -> None:
    if tokens is None and not is_loopback(host):
        raise ServeError(Text(f"--host {host}：没有 --tokens 时，服务只在本机回环地址上监听（127.0.0.1、::1、localhost）；"
                              "要为其他机器服务，请给出 --tokens FILE",
                              f"--host {host}: without --tokens the server listens on loopback only "
                              "(127.0.0.1, ::1, localhost); give --tokens FILE to serve other machines"))


def serve(served: Served, log: GroupCommitter, host: str, port: int, tokens: dict | None,
          say=lambda line: print(line, file=sys.stderr, flush=True)) -> None:
    """Serve until SIGINT or SIGTERM. SIGHUP reloads the lists (`Served.reload`)."""
    check_host(host, tokens)
    listener = bind(host, port)
    port = listener.getsockname()[1]
    app = create_app(served, log, tokens, on_error=say)

    async def reload():
        line = await asyncio.get_running_loop().run_in_executor(None, served.reload)
        say(f"quanze: {line}")

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(reload()))
        lists = ", ".join(f"{l.id} {l.digest[:19]}" for l in served.current.library.lists)
        shown = f"[{host}]" if ":" in host else host
        say(f"quanze: serving http://{shown}:{port}/ — lists {lists}; log {getattr(log.store, 'path', '')}; "
            f"{'tokens required' if tokens else 'no tokens: loopback only'}; SIGHUP reloads the lists")
        try:
            yield
        finally:  # uvicorn has let the requests in flight finish: commit what they wait for, then stop
            loop.remove_signal_handler(signal.SIGHUP)
            await loop.run_in_executor(None, log.close)
            say("quanze: stopped; the decision log is closed")

    config = uvicorn.Config(_Lifespan(app, lifespan), log_level="warning", access_log=False, lifespan="on",
                            http="auto", server_header=False, timeout_graceful_shutdown=10)
    try:
        uvicorn.Server(config).run(sockets=[listener])  # on SIGTERM or SIGINT it stops, then ends by that signal
    finally:
        log.close()  # when it could not start (the port taken): closing twice is nothing


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a taken port is one line of error, not uvicorn's log."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
        # without it a keep-alive client waits out delayed ACKs (40 ms) between the head and the body
        listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
    except OSError as exc:
        raise ServeError(Text(f"无法在 {host}:{port} 上监听（{os_error(exc)}）",
                              f"cannot listen on {host}:{port}: {exc.strerror or exc}")) from None
    return listener


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
