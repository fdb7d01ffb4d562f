"""``python -m examples.demo``: serve the demo (see `examples.demo.app`)."""

from .app import main

main()
