"""Runs the api and, when MADOGUCHI_CONSOLE_PORT is set, the staff console on its own address,
in one process so that both share the database and the services (FAQ store and index).

    .venv/bin/python -m api.admin.serve [--host 127.0.0.1] [--port 8000] [--no-access-log]

The api listens on --host/--port (default MADOGUCHI_HOST, MADOGUCHI_PORT); the console,
if MADOGUCHI_CONSOLE_PORT is set, on MADOGUCHI_CONSOLE_HOST (default 127.0.0.1):
MADOGUCHI_CONSOLE_PORT. Without MADOGUCHI_CONSOLE_PORT this is the same as
`uvicorn api.main:app`, with /admin on the api's address.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

import uvicorn

from api.admin.config import console_settings


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):  # one handler below stops both servers
        yield


async def serve(host: str, port: int, access_log: bool) -> int:
    cfg = console_settings()
    servers = [_Server(uvicorn.Config("api.main:app", host=host, port=port, access_log=access_log))]

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(servers[0].serve())]
    # the console shares the api's services: start it once the api's start-up is done
    while not servers[0].started:
        if tasks[0].done() or servers[0].should_exit:
            await asyncio.gather(*tasks, return_exceptions=True)
            return 1 if not servers[0].should_exit else 0
        await asyncio.sleep(0.05)
    if cfg.console_port is not None:
        servers.append(_Server(uvicorn.Config("api.admin.app:console_app", host=cfg.console_host,
                                              port=cfg.console_port, access_log=access_log)))
        tasks.append(asyncio.create_task(servers[1].serve()))
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
    ap.add_argument("--no-access-log", action="store_true")
    args = ap.parse_args(argv)
    return asyncio.run(serve(args.host, args.port, not args.no_access_log))


if __name__ == "__main__":
    sys.exit(main())
