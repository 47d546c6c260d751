"""The review app: counsellors read stored conversations, leaders read quality figures, admins manage users."""
