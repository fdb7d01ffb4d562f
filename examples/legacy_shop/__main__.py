"""``python -m examples.legacy_shop``: serve the legacy shop (see `examples.legacy_shop.app`)."""

from .app import main

main()
