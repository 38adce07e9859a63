"""madoguchi's action server: one module per capability, one client for the api."""
