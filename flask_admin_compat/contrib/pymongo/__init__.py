"""flask_admin.contrib.pymongo is not provided by flask_admin_compat."""

raise ImportError(
    "flask_admin_compat does not provide flask_admin.contrib.pymongo: only the SQLAlchemy "
    "backend (flask_admin_compat.contrib.sqla) is implemented. Keep this view on "
    "Flask-Admin, or move the model to SQLAlchemy."
)
