"""Bot messages as every channel receives them from Rasa, before channel rendering."""
from __future__ import annotations

import re

from pydantic import BaseModel, Field

import locales

# Button payloads are Rasa intents, optionally with JSON entities: /choose_faq{"faq_id":"x"}.
# The only form a channel may pass to Rasa as a command (web button clicks, LINE postbacks).
PAYLOAD_RE = re.compile(r"^/[a-z_]{1,40}(\{[^{}]{0,300}\})?$")


class Ruby(BaseModel):
    """A piece of a message's text with its kana reading (kanji words), or None (the rest)."""

    text: str
    reading: str | None = None


class Button(BaseModel):
    title: str
    payload: str
    furigana: list[Ruby] | None = None  # of the title, as Message.furigana


class Message(BaseModel):
    text: str = ""
    buttons: list[Button] = Field(default_factory=list)
    # ふりがな, when the resident asked for it: the pieces join back into `text` (api.furigana)
    furigana: list[Ruby] | None = None
    # the language the text is in (locales.LANGS; "ja-easy" is Japanese): the resident's language,
    # or "ja" for the city's Japanese answer shown to a resident of another language
    lang: str = "ja"

    @property
    def japanese(self) -> bool:
        return self.lang in locales.JAPANESE


def to_messages(rasa_messages: list[dict]) -> list[Message]:
    """Rasa REST output (text / buttons / lang per message: bot/serve.py keeps lang) → channel-neutral
    messages. A message that does not say its language is Japanese (as every message was before)."""
    out = []
    for m in rasa_messages:
        text = m.get("text") or ""
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in m.get("buttons") or []
        ]
        if text or buttons:
            out.append(Message(text=text, buttons=buttons, lang=locales.valid(m.get("lang"))))
    return out
