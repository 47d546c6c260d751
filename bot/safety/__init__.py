"""The safety net: crisis, threat and possible signs, caught in every state of the conversation."""
