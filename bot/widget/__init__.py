"""The chat widget, its gateway to Rasa (message log, live events, speech) and the demo page."""
