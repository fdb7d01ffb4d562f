"""The differential suite's apps as a team would have written them for Flask-Admin: real
modules importing ``flask_admin``, one per feature, each with ``create_admin(app, session)``.

Each is the one definition of its feature's views: ``tests/compat/differential/test_<feature>.py``
serves it on real Flask-Admin and, with its imports swapped, on the compat layer
(`harness.load_app`); ``tests/migration`` copies these modules, runs ``fasthx-migrate`` on the
copies, serves them, and runs the same HTTP checks against the original on real Flask-Admin.
"""
