"""The command: --diff, --check, --report, --jobs, --exclude, rule selection, encodings, line
endings, parse errors, files that are never parsed, and the legacy_shop round trip."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migration_tool import runner
from migration_tool.cli import main

from .support import read, write

ROOT = Path(__file__).resolve().parents[2]
LEGACY = "from flask_admin import Admin\nfrom flask_admin.contrib.sqla import ModelView\n"
COMPAT = ("from flask_admin_compat import Admin\n"
          "from flask_admin_compat.contrib.sqla import ModelView\n")


def tree(tmp_path: Path) -> Path:
    write(tmp_path, {"app/a.py": LEGACY, "app/b.py": "import flask_admin as fa\n",
                     "app/plain.py": "import os\n", "app/sub/c.py": LEGACY})
    return tmp_path / "app"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def test_compat_writes_and_is_idempotent(tmp_path, capsys):
    app = tree(tmp_path)
    assert main(["compat", str(app)]) == 0
    assert read(app, "a.py") == COMPAT and read(app, "sub/c.py") == COMPAT
    assert read(app, "b.py") == "import flask_admin_compat as fa\n"
    err = capsys.readouterr().err
    assert "4 files scanned, 3 parsed, 3 changed" in err
    before = snapshot(app)
    assert main(["compat", str(app), "--check"]) == 0  # second run: nothing to change
    assert snapshot(app) == before


def test_diff_writes_nothing(tmp_path, capsys):
    app = tree(tmp_path)
    before = snapshot(app)
    assert main(["compat", str(app), "--diff"]) == 0
    out = capsys.readouterr().out
    assert snapshot(app) == before
    assert "\n-from flask_admin import Admin\n" in out
    assert "\n+from flask_admin_compat import Admin\n" in out
    assert "+++ b/" in out and "plain.py" not in out


def test_check_exit_codes(tmp_path):
    app = tree(tmp_path)
    before = snapshot(app)
    assert main(["compat", str(app), "--check", "-q"]) == 1
    assert snapshot(app) == before
    assert main(["compat", str(app), "-q"]) == 0
    assert main(["compat", str(app), "--check", "-q"]) == 0


def test_report_json(tmp_path):
    app = tree(tmp_path)
    out = tmp_path / "r.json"
    assert main(["compat", str(app), "--report", str(out), "-q"]) == 0
    rep = json.loads(out.read_text())
    assert rep["mode"] == "compat" and rep["rules"] == ["FXM001"] and rep["written"] is True
    assert rep["summary"] == {"files_scanned": 4, "files_parsed": 3, "files_changed": 3,
                              "parse_errors": 0, "views_converted": 0, "views_left": 0,
                              "warnings": 0}
    by_path = {Path(f["path"]).name: f for f in rep["files"]}
    assert by_path["plain.py"]["parsed"] is False and by_path["plain.py"]["changed"] is False
    a = by_path["a.py"]
    assert [(c["rule"], c["line"]) for c in a["changes"]] == [("FXM001", 1), ("FXM001", 2)]
    assert "flask_admin.contrib.sqla" in a["changes"][1]["message"]


def test_parse_error_does_not_stop_the_run(tmp_path, capsys):
    app = tree(tmp_path)
    (app / "broken.py").write_text("import flask_admin\ndef (:\n")
    assert main(["compat", str(app), "--report", str(tmp_path / "r.json")]) == 2
    assert read(app, "a.py") == COMPAT and read(app, "sub/c.py") == COMPAT
    assert read(app, "broken.py") == "import flask_admin\ndef (:\n"
    assert "error:" in capsys.readouterr().err and "broken.py" in (tmp_path / "r.json").read_text()
    rep = json.loads((tmp_path / "r.json").read_text())
    assert rep["summary"]["parse_errors"] == 1 and rep["summary"]["files_changed"] == 3


def test_files_without_flask_admin_are_not_parsed(tmp_path, monkeypatch):
    write(tmp_path, {"a.py": LEGACY, "b.py": "import os\n" * 50, "c.py": "x = 1\n",
                     "d.py": "'''mentions flask_admin in a docstring only'''\n"})
    parsed: list[bytes] = []
    real = runner.parse

    def counting(data: bytes):
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(runner, "parse", counting)
    assert main(["compat", str(tmp_path), "-q"]) == 0
    # a.py is parsed twice (the file, then its rewrite re-checked); d.py once (no change);
    # b.py and c.py never
    assert parsed.count(LEGACY.encode()) == 1 and len(parsed) == 3
    assert all(b"import os" not in d and d != b"x = 1\n" for d in parsed)


def test_rewrite_that_does_not_parse_is_not_written(tmp_path, monkeypatch):
    write(tmp_path, {"a.py": LEGACY})
    calls = {"n": 0}
    real = runner.parse

    def second_fails(data: bytes):
        calls["n"] += 1
        if calls["n"] == 2:
            raise runner.cst.ParserSyntaxError("boom", lines=["x"], raw_line=1, raw_column=0)
        return real(data)

    monkeypatch.setattr(runner, "parse", second_fails)
    assert main(["compat", str(tmp_path), "-q"]) == 2
    assert read(tmp_path, "a.py") == LEGACY


def test_crlf_and_latin1_cookie_kept(tmp_path):
    crlf = b"import os\r\nfrom flask_admin import Admin  # keep\r\n\r\nx = 1\r\n"
    latin = ("# -*- coding: latin-1 -*-\nfrom flask_admin import Admin\n"
             "LABEL = 'Caf\xe9'\n").encode("latin-1")
    write(tmp_path, {"crlf.py": crlf, "latin.py": latin})
    assert main(["compat", str(tmp_path), "-q"]) == 0
    assert (tmp_path / "crlf.py").read_bytes() == crlf.replace(b"flask_admin",
                                                               b"flask_admin_compat")
    assert (tmp_path / "latin.py").read_bytes() == latin.replace(b"flask_admin",
                                                                 b"flask_admin_compat")
    assert main(["compat", str(tmp_path), "--check", "-q"]) == 0


def test_jobs_two_gives_the_same_result(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        write(root, {f"m{i}.py": LEGACY if i % 3 else "import os\n" for i in range(12)})
        (root / "bad.py").write_text("import flask_admin\nclass (:\n")
    r1, r2 = tmp_path / "r1.json", tmp_path / "r2.json"
    assert main(["compat", str(one), "--report", str(r1), "-q"]) == 2
    assert main(["compat", str(two), "--jobs", "2", "--report", str(r2), "-q"]) == 2
    assert snapshot(one) == snapshot(two)

    def strip(p: Path, root: Path) -> str:
        return p.read_text().replace(str(root), "ROOT")

    assert strip(r1, one) == strip(r2, two)


def test_exclude_and_rule_selection(tmp_path, capsys):
    app = tree(tmp_path)
    assert main(["compat", str(app), "--exclude", "sub/*", "--exclude", "b.py", "-q"]) == 0
    assert read(app, "a.py") == COMPAT
    assert read(app, "sub/c.py") == LEGACY and read(app, "b.py") == "import flask_admin as fa\n"
    assert main(["compat", str(app), "--skip", "FXM001", "--check", "-q"]) == 0
    assert main(["compat", str(app), "--only", "fxm001", "--check", "-q"]) == 1
    assert main(["compat", str(app), "--only", "FXM999"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_list_rules_and_usage(capsys):
    assert main(["--list-rules"]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"^(FXM\d{3})", out, re.M) == ["FXM001", "FXM101", "FXM102", "FXM103"]
    assert main([]) == 2
    assert main(["compat"]) == 2  # no PATH
    assert main(["compat", "x", "--jobs", "0"]) == 2


def test_module_entry_point(tmp_path):
    app = tree(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "migration_tool", "compat", str(app), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    assert "3 would change" in proc.stderr


def test_legacy_shop_round_trip(tmp_path):
    """examples/legacy_shop/views.py with its imports turned back into flask_admin ones: compat
    mode restores the flask_admin_compat imports exactly (and the rest of the file)."""
    original = (ROOT / "examples/legacy_shop/views.py").read_text()
    target = tmp_path / "views.py"
    shutil.copy(ROOT / "examples/legacy_shop/views.py", target)
    subprocess.run(["sed", "-i", "-E", r"s/^(from|import) flask_admin_compat/\1 flask_admin/",
                    str(target)], check=True)
    legacy = target.read_text()
    assert "from flask_admin.contrib.sqla import ModelView" in legacy and legacy != original
    assert main(["compat", str(target), "-q"]) == 0
    assert target.read_text() == original
    assert main(["compat", str(target), "--check", "-q"]) == 0


@pytest.mark.parametrize("flag", ["--diff", "--check"])
def test_legacy_shop_tree_unchanged_with_flags(tmp_path, flag):
    shutil.copytree(ROOT / "examples/legacy_shop", tmp_path / "shop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = snapshot(tmp_path / "shop")
    assert main(["compat", str(tmp_path / "shop"), flag, "-q"]) == 0
    assert snapshot(tmp_path / "shop") == before
