"""Read a rendered form back into the data a browser would post."""

from __future__ import annotations

import re
from typing import Any

from ..core.support import form_controls

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def form_data(html: str) -> dict[str, Any]:
    """Every control's current value by name, as a browser submits the form unchanged
    (unchecked boxes left out, multiple selects as lists, hidden inputs included)."""
    import html as htmllib

    data: dict[str, Any] = {name: htmllib.unescape(value)
                            for name, value in HIDDEN.findall(html)}
    for el in form_controls(html).values():
        name = el.attrs.get("name")
        if not name or el.attrs.get("type") in ("submit", "button", "file"):
            continue
        if el.tag == "select":
            chosen = el.selected
            data[name] = chosen if "multiple" in el.attrs else (chosen[0] if chosen else "")
        elif el.tag == "textarea":
            text = el.text  # a browser drops the one newline after <textarea>
            data[name] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
        elif el.attrs.get("type") == "checkbox":
            if "checked" in el.attrs:
                data[name] = el.attrs.get("value", "y")
        else:
            data[name] = el.attrs.get("value", "")
    return data
