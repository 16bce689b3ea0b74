"""Police forces and their teams: reference data, headcounts and team management."""
