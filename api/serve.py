"""Runs the api and, next to it in the same process (sharing the database and the services),
the action server's internal api on a loopback listener and, when configured, the staff console
on an address of its own.

    .venv/bin/python -m api.serve [--host 127.0.0.1] [--port 8000] [--internal-port 8010] [--no-access-log]

- the api (api.main:app, residents and staff API) on --host/--port (default MADOGUCHI_HOST,
  MADOGUCHI_PORT);
- the internal api (api.internal:internal_app, /internal/*) on 127.0.0.1:--internal-port
  (default MADOGUCHI_INTERNAL_PORT; none when unset: then nothing serves /internal/*);
- with --reuse-port, the api and internal listeners bind with SO_REUSEPORT, so that several
  api processes (scaled mode: MADOGUCHI_API_WORKERS) share one address and the kernel spreads
  connections over the live ones;
- the console (api.admin.app:console_app), if MADOGUCHI_CONSOLE_PORT is set, on
  MADOGUCHI_CONSOLE_HOST (default 127.0.0.1):MADOGUCHI_CONSOLE_PORT. Without it /admin is on
  the api's address.

`python -m api.admin.serve` is the same command (its older name).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import socket
import sys

import uvicorn

from api.admin.config import console_settings
from api.internal import INTERNAL_HOST


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, reuse_port: bool = False):
        super().__init__(config)
        self.reuse_port = reuse_port

    @contextlib.contextmanager
    def capture_signals(self):  # one handler below stops every server
        yield

    async def serve(self, sockets=None):
        if self.reuse_port and sockets is None:
            sockets = [shared_socket(self.config.host, self.config.port)]
        await super().serve(sockets=sockets)


def shared_socket(host: str, port: int) -> socket.socket:
    """A listening socket that other processes may bind too (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def serve(host: str, port: int, access_log: bool, internal_port: int | None = None,
                reuse_port: bool = False) -> int:
    cfg = console_settings()
    servers = [_Server(uvicorn.Config("api.main:app", host=host, port=port, access_log=access_log), reuse_port)]

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(servers[0].serve())]
    # the others share the api's services: start them once the api's start-up is done
    while not servers[0].started:
        if tasks[0].done() or servers[0].should_exit:
            await asyncio.gather(*tasks, return_exceptions=True)
            return 1 if not servers[0].should_exit else 0
        await asyncio.sleep(0.05)
    others = []
    if internal_port is not None:
        others.append((uvicorn.Config("api.internal:internal_app", host=INTERNAL_HOST, port=internal_port,
                                      access_log=False), reuse_port))
    if cfg.console_port is not None:
        others.append((uvicorn.Config("api.admin.app:console_app", host=cfg.console_host, port=cfg.console_port,
                                      access_log=access_log), reuse_port))
    for config, shared in others:
        servers.append(_Server(config, shared))
        tasks.append(asyncio.create_task(servers[-1].serve()))
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    stopped_by_signal = all(server.should_exit for server in servers)
    stop()
    await asyncio.gather(*tasks, return_exceptions=True)
    return 0 if stopped_by_signal else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cfg = console_settings()
    ap.add_argument("--host", default=cfg.host)
    ap.add_argument("--port", type=int, default=cfg.port)
    ap.add_argument("--internal-port", type=int, default=cfg.internal_port,
                    help="the action server's internal api, on 127.0.0.1 only")
    ap.add_argument("--no-access-log", action="store_true")
    ap.add_argument("--reuse-port", action="store_true", help="share the addresses with other api processes")
    args = ap.parse_args(argv)
    return asyncio.run(serve(args.host, args.port, not args.no_access_log, args.internal_port, args.reuse_port))


if __name__ == "__main__":
    sys.exit(main())
