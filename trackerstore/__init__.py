"""Rasa's tracker store without personal data in clear (endpoints.yml: trackerstore.sql.MaskingTrackerStore).

`masking` is plain Python (the api's purge job uses it on the same database); `sql` is the
Rasa subclass and is imported by the Rasa server only.
"""
