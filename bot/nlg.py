"""domain.yml's responses in the resident's language (endpoints.yml: `nlg: type: bot.nlg.CatalogueNLG`).

Why a custom NLG and not texts moved into actions: the responses stay where Rasa's rules and forms
use them (utter_ask_* of the forms, utter_faq_none of a rule, utter_default of the fallback), so
neither domain.yml nor the training data change and the trained model stays valid. Rasa 3.6 builds
this class from endpoints.yml (rasa/core/nlg/generator.py: any other `type` is a module path,
constructed with endpoint_config and domain).

The language is the one the api sent with the resident's latest message (metadata "lang"). Texts
come from locales/<lang>.yml under the response's name; button titles by their Japanese title's
key (locales/ja.yml holds domain.yml's texts, checked by tests/bot/test_locales.py). Every message
is tagged with its language (`lang`), which bot/serve.py keeps on the REST channel's messages.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

import locales


def tracker_lang(tracker: DialogueStateTracker) -> str:
    message = tracker.latest_message
    metadata = (message.metadata if message is not None else None) or {}
    return locales.valid(metadata.get("lang") if isinstance(metadata, dict) else None)


def localize(response: Dict[Text, Any], utter_action: Text, lang: str) -> Dict[Text, Any]:
    """The response's text and button titles in `lang` (unchanged where the catalogue has no key)."""
    table = locales.catalogue(lang)
    if utter_action in table and response.get("text"):
        response["text"] = locales.text(lang, utter_action)
    if response.get("buttons"):
        keys = locales.reverse_ja()
        response["buttons"] = [
            {**b, "title": locales.text(lang, keys[b["title"]])} if b.get("title") in keys else b
            for b in response["buttons"]
        ]
    response["lang"] = lang
    return response


class CatalogueNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Optional[Domain] = None, **_: Any) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if response is None:
            return None
        return localize(response, utter_action, tracker_lang(tracker))
