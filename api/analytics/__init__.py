"""Conversation analytics: events recorded from the action server's calls, read by the console
(inbox of unanswered needs, figures). Kept free of imports so that init_db can load the models."""
