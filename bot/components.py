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

from bot.text import asks_about_a_ticket, asks_about_an_application, gives_application_details, is_emergency, normalize


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
    """Intents that start a flow need their evidence in the message, else it is a question.

    The classifier sees few examples and answers unseen questions with whatever intent
    their words resemble: 「3月に原付売ったのに税金の紙来たんだけど」 came out as `inform`
    (which starts the status check), 「にゅうがくつうちしょ まだこない」 as `ticket_status`.
    `inform` needs an application number or a whole date; `ticket_status` a ticket number
    or words about a question left for staff; `check_application_status` an application
    number or words about where an application stands (「補聴器を買う前に申請が要りますか」
    came out as a status check). Otherwise the message goes to the FAQ search.
    """

    NEEDS = {"inform": gives_application_details, "ticket_status": asks_about_a_ticket,
             "check_application_status": asks_about_an_application}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            current = message.get(INTENT) or {}
            needs = self.NEEDS.get(current.get(INTENT_NAME_KEY))
            if not text or text.startswith("/") or needs is None or needs(text):
                continue
            _force(message, "ask_question", current.get(PREDICTED_CONFIDENCE_KEY, 1.0))
        return messages


def _force(message: Message, intent: str, confidence: float) -> None:
    """Sets the intent and puts it first in the ranking (the others keep their order)."""
    forced = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
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
