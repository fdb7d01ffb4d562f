"""The differential suite's apps as a team would have written them for Flask-Admin: real
modules importing ``flask_admin``, one per feature, each with ``create_admin(app, session)``.

They mirror the builders of ``tests/compat/differential/test_<feature>.py`` (which take the
package as an argument so one body serves both sides); ``tests/migration`` copies these
modules, runs ``fasthx-migrate`` on the copies, serves them, and runs the suite's HTTP checks
against the original on real Flask-Admin.  A test there keeps each module in step with its
builder.
"""
