"""Custom Rasa NLU components for Japanese (listed in config.yml)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.text import (asks_about_a_ticket, courtesy_abroad, asks_about_an_application, asks_for_staff, asks_to_be_told, asks_to_leave_a_question,
                      gives_a_number, gives_application_details, has_japanese_script, is_emergency, is_short_reply,
                      is_small_talk, normalize, sounds_urgent)

# The intent a gate overruled, kept in the message's intent (an extra key): when the FAQ then has
# nothing close, the action may still answer the small talk the message most likely was.
GATED_FROM = "gated_from"


class _Stateless(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class JapaneseNormalizer(_Stateless):
    """NFKC, no control characters, one dash form: before GiNZA sees the text.

    Runs first in the pipeline so that full-width digits, half-width kana and
    「A－２０２６ー０００１０１」 reach the tokenizer and the regexes in one form.
    """

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalize(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize(message)
        return messages

    @staticmethod
    def _normalize(message: Message) -> None:
        text: Optional[Text] = message.get(TEXT)
        if text:
            message.set(TEXT, normalize(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EvidenceGate(_Stateless):
    """A message is a question unless it carries evidence of being something else.

    The classifier learnt one city's phrasings from few examples and answers unseen questions
    with whatever intent their words resemble: a real city's residents got "I am an AI" for a
    question about a refrigerator, emergency numbers for a broken bottle and a parent who died,
    the status check for 「3月に原付売ったのに税金の紙来たんだけど」. So every intent other than
    a question needs its evidence in the message (bot/text.py): small talk only small-talk
    words; a staff request only staff words; a status check an application number or an
    application and where it stands; a form answer a number or a date; a ticket look-up a
    ticket number or a question left and its answer; an emergency the words of one happening
    now. Without it the message goes to the FAQ search.
    """

    NEEDS = {"inform": gives_application_details, "ticket_status": asks_about_a_ticket,
             "check_application_status": asks_about_an_application, "subscribe_status": asks_to_be_told,
             "request_staff": asks_for_staff, "emergency": sounds_urgent, "leave_question": asks_to_leave_a_question,
             **{small: is_small_talk for small in ("greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge")},
             **{short: is_short_reply for short in ("choose_faq", "none_of_these", "feedback")}}

    # the intents whose evidence may be in a message of any language: a number (application,
    # ticket) or a date; the others need Japanese words
    NUMBERS = ("inform", "ticket_status", "check_application_status")

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            current = message.get(INTENT) or {}
            name = current.get(INTENT_NAME_KEY)
            if text and not text.startswith("/") and foreign(message):
                # The classifier knows Japanese only: a message in another language (the resident's
                # chosen language, or no Japanese script in it) is a question for the FAQ search,
                # which matches it cross-lingually, unless it gives a number a form or look-up takes.
                courtesy = courtesy_abroad(text)
                if courtesy:  # 「Hello!」「Cảm ơn」: small talk, answered in the resident's language
                    if name != courtesy:
                        _force(message, courtesy, 1.0, {GATED_FROM: name})
                elif asks_about_a_ticket(text) and name != "ticket_status":  # only its number can be read
                    _force(message, "ticket_status", current.get(PREDICTED_CONFIDENCE_KEY, 1.0), {GATED_FROM: name})
                elif name != "ask_question" and not (name in self.NUMBERS and gives_a_number(text)):
                    _force(message, "ask_question", current.get(PREDICTED_CONFIDENCE_KEY, 1.0), {GATED_FROM: name})
                continue
            needs = self.NEEDS.get(name)
            if not text or text.startswith("/") or needs is None or needs(text):
                continue
            _force(message, "ask_question", current.get(PREDICTED_CONFIDENCE_KEY, 1.0),
                   {GATED_FROM: current.get(INTENT_NAME_KEY)})
        return messages


# the resident's language as the api sends it (message metadata "lang"): not Japanese nor やさしい日本語
_JAPANESE_LANGS = ("ja", "ja-easy")


def foreign(message: Message) -> bool:
    """A message to read as not Japanese: the resident chose another language, or it has no
    Japanese script at all ("How do I get a residence certificate?")."""
    metadata = message.get("metadata") or {}
    lang = metadata.get("lang") if isinstance(metadata, dict) else None
    if isinstance(lang, str) and lang and lang not in _JAPANESE_LANGS:
        return True
    return not has_japanese_script(message.get(TEXT) or "")


def _force(message: Message, intent: str, confidence: float, extra: Optional[Dict[str, Any]] = None) -> None:
    """Sets the intent and puts it first in the ranking (the others keep their order)."""
    forced = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence, **(extra or {})}
    ranking = [forced] + [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent]
    message.set(INTENT, forced, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyOverride(_Stateless):
    """Forces the emergency intent on unmistakable words (火事, 救急車, 倒れて…).

    A missed emergency costs far more than a misread question, so this does not
    depend on the classifier's confidence.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/") or not is_emergency(text):
                continue
            current = message.get(INTENT) or {}
            if current.get(INTENT_NAME_KEY) == "emergency":
                continue
            _force(message, "emergency", 1.0)
        return messages
