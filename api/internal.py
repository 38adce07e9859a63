"""`internal_app`: the action server's api (/internal/*) as an app of its own, on a loopback listener.

The residents' app (api.main:app) never serves /internal/* (404 there). `python -m api.serve`
(what scripts/run.py starts) serves this app on 127.0.0.1:MADOGUCHI_INTERNAL_PORT in the same
process as the api, sharing its database and its services (the FAQ store and search index, the ごみ分別 list);
the action server is pointed at it (MADOGUCHI_API_URL). Every route still needs the internal
bearer token (api.security.require_internal): the loopback address is a second fence, not the only one.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api.applications import routes as application_routes
from api.faq import routes as faq_routes
from api.gomi import routes as gomi_routes
from api.handover import routes as handover_routes
from api.info import router as info_router
from api.tickets import routes as ticket_routes

log = logging.getLogger("madoguchi.internal")
INTERNAL_HOST = "127.0.0.1"  # never configurable: the internals are for this machine only

router = APIRouter()
router.include_router(faq_routes.internal)
router.include_router(application_routes.internal)
router.include_router(info_router)
router.include_router(gomi_routes.internal)
router.include_router(ticket_routes.internal)
router.include_router(handover_routes.internal)


@asynccontextmanager
async def lifespan(app: FastAPI):
    from api import main

    if getattr(main.app.state, "faq", None) is not None:  # the api runs in this process: share its services
        app.state.faq, app.state.gomi = main.app.state.faq, main.app.state.gomi
        yield
        return
    log.warning("internal api started without the api in this process: it keeps its own FAQ index")
    async with main.lifespan(main.app):
        app.state.faq, app.state.gomi = main.app.state.faq, main.app.state.gomi
        yield


def create_app() -> FastAPI:
    from api import main

    app = FastAPI(title="madoguchi internal", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.add_exception_handler(main.RequestValidationError, main._invalid)
    app.add_exception_handler(main.StarletteHTTPException, main._http_error)
    app.include_router(router)
    return app


internal_app = create_app()
