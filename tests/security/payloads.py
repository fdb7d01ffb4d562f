"""The attack strings the suite stores and sends: markup, attribute breakers, script URLs,
template injection and unicode tricks."""

from __future__ import annotations

XSS_PAYLOADS = (
    "<script>alert(1)</script>",
    "</textarea><script>alert(2)</script>",
    "</title></script><script>alert(3)</script>",
    '"><img src=x onerror=alert(4)>',
    "'><svg onload=alert(5)>",
    "<svg/onload=alert(6)>",
    '" onmouseover="alert(7)" x="',
    "' autofocus onfocus='alert(8)",
    "<a href=\"javascript:alert(9)\">x</a>",
    "javascript:alert(10)",
    " jAvAsCrIpT:alert(11)",
    "{{7*7}}{{ config }}",
    "{% print(7*7) %}${7*7}#{7*7}",
    "<iframe srcdoc=\"<script>alert(12)</script>\">",
    "\u202e<b>rtl</b>\u202d",
    "line\u2028sep\u2029<i>u</i>",
    "<<script>script>alert(13)//<</script>/script>",
    "&lt;script&gt;alert(14)&lt;/script&gt;",  # must not be unescaped once more
    "</style><style>*{x:expression(alert(15))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(16)>",
)
"""Stored in every column type and sent as every parameter."""

MARKUP_CHARS = set("<>\"'")


def is_markup(payload: str) -> bool:
    """Payloads that are only dangerous if they reach the page unescaped."""
    return bool(MARKUP_CHARS & set(payload))


def assert_not_reflected(body: str, payloads: tuple[str, ...] = XSS_PAYLOADS,
                         where: str = "") -> None:
    """No payload with markup characters appears raw; template syntax is never evaluated;
    an already-escaped payload is escaped again, not decoded."""
    for payload in payloads:
        if is_markup(payload):
            assert payload not in body, f"{where}: unescaped {payload!r}"
    assert "&lt;script&gt;alert(14)" not in body.replace("&amp;lt;script&amp;gt;alert(14)",
                                                        ""), where
    assert 'href="javascript:' not in body.lower().replace(" ", ""), where
    assert "<script>alert" not in body, where
