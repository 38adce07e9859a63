"""The staff console: accounts, sessions, audit log and server-rendered pages under /admin.

Kept free of imports so that `api.db.init_db` can load `api.admin.models` cheaply.
"""
