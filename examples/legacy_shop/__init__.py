"""A Flask-Admin shop admin migrated to the FastAPI host by changing imports only."""
