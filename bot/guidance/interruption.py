"""A request inside a form: the form pauses, the request is handled, then the user may go back to it."""

from __future__ import annotations

# The forms a request can pause; each can be taken up again where it stopped (its slots keep the answers).
PAUSABLE = ("knapp_form", "interest_form", "plan_edit_form", "handover_form", "rating_form")
# The intents that are requests wherever they come: no form reads them as an answer (domain.yml's
# `not_intent` lists; tests/guidance/test_interruption.py checks every form).
REQUESTS = ("request_human", "express_crisis", "ask_help", "ask_privacy", "delete_my_data",
            "request_summary", "edit_plan", "resume_form")
DECLINED = "declined"
NOTHING = "nothing"
# With nothing paused, what follows a handled request is what followed it before: the menu after help,
# nothing more after «min plan» or a handover (they end with their own choices), else «anything else?».
AFTER_WITH_NOTHING_PAUSED = {
    "utter_help": "utter_menu",
    "action_show_plan": None,
    "action_request_handover": None,
    "action_apply_plan_edit": None,
}
DEFAULT_AFTER = "utter_anything_else"


def form_to_pause(active_loop: str | None) -> str | None:
    """The form a request pauses: the active one, when it is one that can be taken up again."""
    return active_loop if active_loop in PAUSABLE else None


def offer_after(paused: str | None, previous_action: str | None) -> str | None:
    """The response that follows a handled request: the offer to go back, or what usually follows."""
    if paused in PAUSABLE:
        return "utter_offer_resume"
    return AFTER_WITH_NOTHING_PAUSED.get(previous_action or "", DEFAULT_AFTER)


def resume_choice(paused: str | None) -> str:
    """The value of the `resuming` slot when the user says yes: the form to take up, or «nothing»."""
    return paused if paused in PAUSABLE else NOTHING


def decline_choice(paused: str | None) -> str:
    """The value of the `resuming` slot when the user says no: «declined» a paused form, or «nothing»."""
    return DECLINED if paused in PAUSABLE else NOTHING
