"""The read-only JSON API for force systems: OAuth 2.0 client credentials per force, OpenAPI."""
