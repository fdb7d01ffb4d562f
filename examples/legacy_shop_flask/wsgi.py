"""The WSGI entry point: ``gunicorn examples.legacy_shop_flask.wsgi:app`` or
``flask --app examples.legacy_shop_flask.wsgi run``."""

from .app import create_app

app = create_app()
