"""Flask-Admin's ``flask_admin.contrib`` backends (SQLAlchemy and files are provided)."""
