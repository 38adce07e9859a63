"""`console_app`: the staff console (/admin) as an app of its own, for MADOGUCHI_CONSOLE_PORT.

When MADOGUCHI_CONSOLE_PORT is set the main app (api.main:app) leaves /admin out and
`python -m api.admin.serve` serves this app on MADOGUCHI_CONSOLE_HOST:MADOGUCHI_CONSOLE_PORT
in the same process as the api, sharing its database and its services (the FAQ store
and search index). Started alone (`uvicorn api.admin.app:console_app`) it starts the
api's services itself, with an index of its own.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import main, ratelimit
from api.admin.web import install, render

log = logging.getLogger("madoguchi.console")


@asynccontextmanager
async def lifespan(app: FastAPI):
    if getattr(main.app.state, "faq", None) is not None:  # the api runs in this process: share its services
        app.state.faq, app.state.gomi = main.app.state.faq, main.app.state.gomi
        yield
        return
    log.warning("staff console started without the api in this process: it keeps its own FAQ index")
    async with main.lifespan(main.app):
        app.state.faq, app.state.gomi = main.app.state.faq, main.app.state.gomi
        yield


console_app = FastAPI(title="madoguchi staff console", lifespan=lifespan, docs_url=None, redoc_url=None,
                      openapi_url=None)


@console_app.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, exc: StarletteHTTPException):
    message = {404: "ページが見つかりません。", 405: "この操作はできません。"}.get(exc.status_code, "操作できませんでした。")
    return render(request, "error.html", status_code=exc.status_code, message=message)


@console_app.exception_handler(RequestValidationError)
async def _invalid(request: Request, exc: RequestValidationError):
    return render(request, "error.html", status_code=422, message="送信された内容を読み取れませんでした。入力を確かめてください。")


install(console_app)
ratelimit.install(console_app)  # the same limits as on the api's address
