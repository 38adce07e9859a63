"""Resident-facing texts shared by several actions."""
from __future__ import annotations

import os

from actions.api_client import ApiClient, ApiUnavailable

# Used only when the api itself cannot be reached; the api's configuration is the source otherwise.
FALLBACK_CONTACT = {
    "city": os.environ.get("MADOGUCHI_CITY_NAME", "ひかり野市"),
    "phone": os.environ.get("MADOGUCHI_CITY_PHONE", "012-345-6000"),
    "hours": os.environ.get("MADOGUCHI_OFFICE_HOURS", "平日 8時30分〜17時15分（土日祝日・年末年始を除く）"),
    "office": "市民相談室（市役所本庁舎1階）",
}

STAFF_BUTTON = {"title": "問い合わせ先を知りたい", "payload": "/request_staff"}
LEAVE_QUESTION_BUTTON = {"title": "質問を職員に送る", "payload": "/leave_question"}


async def contact(api: ApiClient) -> dict:
    try:
        return await api.contact() or FALLBACK_CONTACT
    except ApiUnavailable:
        return FALLBACK_CONTACT


def api_down_text(info: dict = FALLBACK_CONTACT) -> str:
    return (
        "申し訳ありません。ただいま情報を調べることができません。しばらくしてからもう一度お試しください。"
        f"お急ぎの場合は、市役所代表 {info['phone']}（{info['hours']}）へお電話ください。"
    )
