"""The web process: the review app for counsellors and the chat widget with its demo page."""
