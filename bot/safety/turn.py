"""Which safety step comes next in a turn: it overrides forms, rules and the dialogue model."""

from __future__ import annotations

from bot.safety.assessment import LEVELS, POSSIBLE

RESPOND = "action_respond_to_safety"
CHECK_ANSWER = "action_safety_check_answer"
LISTEN = "action_listen"
# Values of the slot `safety_check`.
ASKED = "asked"
ASKED_AGAIN = "asked_again"
ANSWERED_NO = "answered_no"
WAITING = (ASKED, ASKED_AGAIN)


def next_step(
    *, latest_action: str | None, level: str | None, check: str | None, active_loop: str | None
) -> str | None:
    """The action to run now, or None to leave the turn to the other policies."""
    if latest_action == LISTEN:
        if check in WAITING:
            return CHECK_ANSWER
        if level == POSSIBLE and check == ANSWERED_NO:
            # Asked once already and the answer was no: the usual dialogue answers.
            return None
        return RESPOND if level in LEVELS else None
    if latest_action == RESPOND:
        return LISTEN
    if latest_action == CHECK_ANSWER:
        if check in WAITING or not active_loop:
            return LISTEN
        return active_loop
    return None
