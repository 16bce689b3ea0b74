"""Content feature package.

The blueprint is defined in routes.py so the pure modules import without Flask.
"""
