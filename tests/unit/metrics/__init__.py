"""Unit tests for the pure metric formulas and SVG charts."""
