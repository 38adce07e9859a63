"""City contact facts from configuration, for the action server's staff hand-off."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from api.config import get_settings
from api.security import require_internal

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_internal)])


@router.get("/contact")
def contact() -> dict:
    return get_settings().contact()
