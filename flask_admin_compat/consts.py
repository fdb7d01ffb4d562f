"""Flask-Admin's ``flask_admin.consts``: menu icon types."""

ICON_TYPE_GLYPH = "glyph"
ICON_TYPE_FONT_AWESOME = "fa"
ICON_TYPE_IMAGE = "image"
ICON_TYPE_IMAGE_URL = "image-url"
