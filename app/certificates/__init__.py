"""Certificates: the blueprint lives in routes.py, so pure modules here import without Flask."""
