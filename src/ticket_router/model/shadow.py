"""Shadow mode: a candidate version scores live tickets silently beside the active model. Its answers are stored
(never returned, never acted on) so `models compare` can set them against the active model and agents' feedback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from ticket_router.domain import Decision, Ticket, utcnow
from ticket_router.model.base import Classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.store.versions import ModelVersionStore, ShadowPrediction
from ticket_router.tools.routing import route_to_team

log = logging.getLogger(__name__)


class ShadowScorer:
    def __init__(self, store: ModelVersionStore, policy: RoutingPolicy,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.classifier: Classifier | None = None  # set by the model watcher; None: no shadow

    def score(self, items: Sequence[tuple[Ticket, Decision]]) -> int:
        """Predict and store; returns how many were scored. A failure is logged and never reaches the caller:
        a shadow model must not change what live traffic gets."""
        classifier = self.classifier
        if classifier is None or not items:
            return 0
        try:
            predictions = classifier.predict([ticket.text for ticket, _ in items])
            now = self.clock()
            rows = []
            for (ticket, decision), prediction in zip(items, predictions):
                routing = route_to_team(prediction.probabilities, self.policy)
                category = max(prediction.probabilities, key=prediction.probabilities.__getitem__)
                rows.append(ShadowPrediction(
                    ticket_id=ticket.ticket_id, decision_id=decision.decision_id, model_name=classifier.info.name,
                    model_version=classifier.info.version, team=routing.team.value, category=category.value,
                    confidence=routing.confidence, predicted_at=now, active_team=decision.team.value,
                    active_model=f"{decision.model.name}/{decision.model.version}"))
            self.store.save_shadow_predictions(rows)
            return len(rows)
        except Exception as error:  # noqa: BLE001 - see above
            log.warning("shadow scoring failed", extra={"error": type(error).__name__, "tickets": len(items)})
            return 0
