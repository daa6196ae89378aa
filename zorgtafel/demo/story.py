"""The whole story, chapter by chapter."""

from __future__ import annotations

from typing import Any

from zorgtafel.demo.appointment_steps import AppointmentSteps
from zorgtafel.demo.exchange_steps import ExchangeSteps
from zorgtafel.demo.intake_steps import IntakeSteps
from zorgtafel.demo.meeting_steps import MeetingSteps
from zorgtafel.demo.plumbing import StoryFailed
from zorgtafel.demo.rights_steps import RightsSteps


class Story(AppointmentSteps, IntakeSteps, MeetingSteps, ExchangeSteps, RightsSteps):
    def run(self) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        try:
            self._appoint(facts)
            self._nominate_and_assess(facts)
            self._triage(facts)
            self._meeting(facts)
            self._disclosures(facts)
            self._subject_rights(facts)
            self._close_and_purge(facts)
        except StoryFailed:
            pass
        return facts
