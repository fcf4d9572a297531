"""Every move of a request's workflow has its notification event, and nothing else does."""

from __future__ import annotations

from infrashare.agreements.lifecycle import RequestAction
from infrashare.agreements.models import NotificationEvent


def test_notification_events_are_the_workflow_actions_plus_creation_and_matches() -> None:
    expected = {"sharing_request.created", "match.new"} | {
        f"sharing_request.{a.value}" for a in RequestAction
    }
    assert {event.value for event in NotificationEvent} == expected
