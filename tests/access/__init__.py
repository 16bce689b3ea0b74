"""The access matrix: every route of the app, with the roles that may use it.

Each feature adds a module here defining ROUTES (and optionally build(world) to create the objects
its URLs need). tests/integration/test_access_matrix.py fails if a route of app.url_map is missing.
"""
