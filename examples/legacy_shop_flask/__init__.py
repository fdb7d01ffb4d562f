"""A Flask-Admin shop as teams write it: Flask, Flask-SQLAlchemy, Flask-Login.

This folder is the *original*, importing ``flask_admin``.  ``fasthx-migrate compat`` rewrites
its imports to ``flask_admin_compat`` and the same Flask app then serves the HTMX admin (see
the README's "Flask host" section; ``tests/flask_host`` runs one test suite on both).
"""
