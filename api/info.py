"""City contact facts from configuration, for the action server's staff hand-off."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from api.config import get_settings
from api.security import require_internal

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_internal)])


@router.get("/contact")
def contact() -> dict:
    s = get_settings()
    return {"city": s.city_name, "phone": s.city_phone, "hours": s.office_hours,
            "office": "市民相談室（市役所本庁舎1階）"}
