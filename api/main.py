"""The api: public gateway (chat, FAQ search, staff FAQ edits) and the action server's data service."""
from __future__ import annotations

import asyncio
import logging
import os
import time
from html import escape
from string import Template
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.admin.config import console_is_separate
from api.admin.web import install as install_console
from api.applications.demo import seed_demo
from api import ratelimit
from api.bus import ChangeBus
from api.channels import line, web
from api.channels.rasa import RasaClient
from api.config import DEMO_CITY, get_settings, read_settings
from api.db import SessionLocal, init_db, startup_lock
from api.faq import routes as faq_routes
from api.faq.service import FaqService
from api.furigana import Furigana, WordList
from api.furigana.wordlist import GENERAL as GENERAL_READINGS
from api.linequeue import service as line_queue
from api.linequeue import worker as line_worker
from api.gomi import routes as gomi_routes
from api.gomi.service import GomiService
from api.handover import routes as handover_routes
from api.retention import start_purge_task
from api.tickets import routes as ticket_routes

log = logging.getLogger("madoguchi")
STATIC = Path(__file__).parent / "static"


def _log_info_lines() -> None:
    """Our INFO lines (the FAQ import, the embedding's progress on a first start) reach the
    api's log: uvicorn configures only its own loggers, and Python's fallback prints
    warnings and worse. Left alone when the host has set up logging (tests, another server)."""
    if logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("madoguchi", "api"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)


@asynccontextmanager
async def lifespan(app: FastAPI):
    _log_info_lines()
    settings = get_settings()
    with startup_lock():  # scaled mode: one api process sets up the shared data at a time
        init_db()
        if settings.staff_token or (settings.var_dir / "secrets" / "staff_token").exists():
            log.warning("the shared staff token (MADOGUCHI_STAFF_TOKEN, var/secrets/staff_token) is no longer "
                        "accepted: the staff API takes per-account tokens. Keep it working for an account with "
                        "`python -m api.admin.create_token LOGIN --days 90 --stdin < var/secrets/staff_token` (README)")
        if settings.demo:  # the demo city's applications of README's table: `make run` only, never production
            with SessionLocal() as session:
                seed_demo(session)
        started = time.perf_counter()
        log.info("faq corpus: importing %s and building the search index", settings.corpus_dir)
        faq = FaqService.create(SessionLocal, settings.corpus_dir, settings.embedding_cache)
        counts = faq.import_corpus(settings.corpus_dir)
        log.info("faq corpus: %s; %d entries searchable after %.1f s", counts, len(faq.list()),
                 time.perf_counter() - started)
        app.state.faq = faq
        app.state.gomi = GomiService.create(SessionLocal, settings.gomi_path, settings.gomi_attribution,
                                            faq.engine.embedder, faq.engine.cache)
    # ふりがな with the search's own analyser; readings: madoguchi's list, then the city's
    app.state.furigana = Furigana(faq.engine.analyzer, WordList.load(GENERAL_READINGS, settings.corpus_dir / "readings"))
    # scaled mode: edits made in another api process reach this one's search (api/bus.py)
    bus = ChangeBus(settings.redis_url, settings.database_url)
    faq.changed = bus.publisher("faq")
    bus.on("faq", faq.refresh)
    app.state.gomi.changed = bus.publisher("gomi")
    bus.on("gomi", lambda _key: app.state.gomi.reload())
    app.state.bus = bus
    bus_task = asyncio.create_task(bus.listen())
    if settings.gomi_path:
        log.info("gomi: %d items from %s", len(app.state.gomi), settings.gomi_path)
    app.state.rasa = RasaClient(settings.rasa_url, settings.actions_url, settings.rasa_timeout_s,
                                settings.rasa_api_token)
    # live chat with staff: staff who left, waits too long → tickets (api.handover)
    handover_task = asyncio.create_task(handover_routes.sweep_forever(app.state.rasa, settings.handover_sweep_s))
    purge_task = start_purge_task()  # retention (docs/privacy.md): shortly after start, then daily
    # LINE events and deliveries stored in the database: every api process works on them
    line_task = line_worker.start(line_worker.from_settings(settings, SessionLocal, line.handlers(app.state.rasa)))
    yield
    purge_task.cancel()
    handover_task.cancel()
    line_task.cancel()
    await asyncio.gather(line_task, return_exceptions=True)  # its running jobs are released for the next start
    line_worker.stop()
    bus_task.cancel()
    bus.close()
    await app.state.rasa.close()


def _docs_urls() -> dict:
    """/docs, /redoc and /openapi.json only with MADOGUCHI_API_DOCS=1 (off by default: a public
    address should not list every endpoint)."""
    if read_settings().api_docs:
        return {}
    return {"docs_url": None, "redoc_url": None, "openapi_url": None}


app = FastAPI(title="madoguchi", lifespan=lifespan, **_docs_urls())

# The widget (/widget.js) is embedded in other sites: the chat endpoints, and only
# they, answer any origin (no cookies or credentials are involved).
CORS_PATHS = frozenset({"/api/chat", "/api/chat/inbox", "/api/chat/furigana", "/api/chat/live"})


class _ChatCors:
    def __init__(self, app, paths: frozenset[str]):
        self.app = app
        self.paths = paths
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET", "POST"],
                                   allow_headers=["Content-Type"], allow_credentials=False, max_age=600)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] in self.paths:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


# Abuse limits (rates per client and overall, body sizes) before anything reads a body; inside
# the CORS wrapper, so that the widget on another site can read a 429 or 413.
ratelimit.install(app)
app.add_middleware(_ChatCors, paths=CORS_PATHS)


@app.exception_handler(RequestValidationError)
async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    # A short Japanese message for people, the details for developers.
    errors = [{"loc": e.get("loc"), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": "送信された内容を読み取れませんでした。入力を確かめてください。", "errors": errors},
    )


@app.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if exc.status_code == 404 and detail == "Not Found":
        detail = "ページが見つかりません。"
    elif exc.status_code == 400 and detail == "There was an error parsing the body":
        detail = "送信された内容を読み取れませんでした。入力を確かめてください。"
    elif exc.status_code == 405:
        detail = "この操作はできません。"
    return JSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=getattr(exc, "headers", None))


def _line_queue() -> dict[str, int]:
    with SessionLocal() as session:
        return line_queue.counts(session)


@app.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    rasa: RasaClient = request.app.state.rasa
    rasa_ok, actions_ok = await asyncio.gather(rasa.rasa_up(), rasa.actions_up())
    body = {"api": "ok", "rasa": "ok" if rasa_ok else "down", "actions": "ok" if actions_ok else "down",
            "faqs": len(request.app.state.faq.list()), "worker": os.getpid(),
            "line_queue": await asyncio.to_thread(_line_queue)}
    code = status.HTTP_200_OK if rasa_ok and actions_ok else status.HTTP_503_SERVICE_UNAVAILABLE
    return JSONResponse(status_code=code, content=body)


@app.get("/", include_in_schema=False)
async def index() -> Response:
    """The demo city's demo site; for any other city a plain page of its own with the widget."""
    s = get_settings()
    if s.city_name == DEMO_CITY:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")
    site = f'<p><a href="{escape(s.city_site)}">{escape(s.city_name)}の公式サイトへ</a></p>' if s.city_site else ""
    page = Template((STATIC / "city.html").read_text(encoding="utf-8")).substitute(
        title=escape(f"{s.city_name} AI窓口 まどぐち"), city=escape(s.city_name), call=escape(s.call()), site=site)
    return HTMLResponse(page)


@app.get("/widget.js", include_in_schema=False)
async def widget() -> FileResponse:
    # Embedded by other sites with one <script> tag; a short cache so updates reach them soon.
    return FileResponse(STATIC / "widget.js", media_type="application/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


app.mount("/static", StaticFiles(directory=STATIC), name="static")
app.include_router(web.router)
app.include_router(line.router)
app.include_router(faq_routes.public)
app.include_router(faq_routes.admin)
app.include_router(gomi_routes.public)
# /internal/* (the action server's api) is not here: api.internal:internal_app serves it on a
# loopback listener of its own (api.serve), so the residents' address answers 404 for it.
app.include_router(ticket_routes.admin)
app.include_router(ticket_routes.inbox)
app.include_router(handover_routes.public)

# The staff console (/admin): here, unless MADOGUCHI_CONSOLE_PORT gives it an address of its own
# (then api.admin.app:console_app serves it, started next to this app by `python -m api.admin.serve`).
if not console_is_separate():
    install_console(app)
