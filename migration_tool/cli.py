"""``fasthx-migrate``: the command line.

Exit codes: 0 done (nothing to change, or changes written / shown with --diff);
1 with --check when something would change; 2 bad usage or a file that could not be parsed
(the other files are still processed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import report
from .rules import RULES, select
from .runner import run

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fasthx-migrate",
        description="Move Flask-Admin code onto flask_admin_compat (compat) or native "
                    "fasthx_core CRUDView classes (native).",
        epilog="exit codes: 0 ok; 1 changes pending with --check; 2 parse errors or bad usage")
    p.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    sub = p.add_subparsers(dest="mode")
    for mode, text in (("compat", "rewrite flask_admin imports to flask_admin_compat"),
                       ("native", "compat, then ModelView subclasses -> native CRUDView")):
        s = sub.add_parser(mode, help=text, description=text)
        s.add_argument("paths", nargs="+", metavar="PATH")
        s.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
        s.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 if anything would change")
        s.add_argument("--report", metavar="FILE.json", help="write a JSON report")
        s.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                       help="process files in N processes")
        s.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="skip paths matching GLOB (repeatable)")
        s.add_argument("--only", action="append", default=[], metavar="RULE",
                       help="apply only this rule (repeatable)")
        s.add_argument("--skip", action="append", default=[], metavar="RULE",
                       help="do not apply this rule (repeatable)")
        s.add_argument("--list-rules", action="store_true", help="print the rules and exit")
        s.add_argument("--quiet", "-q", action="store_true", help="no summary")
    return p


def list_rules() -> str:
    return "\n".join(f"{r.id}  [{r.mode}]  {r.description}" for r in RULES)


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on bad usage, 0 for --help
        return int(exc.code or 0)
    if args.list_rules:
        print(list_rules())
        return EXIT_OK
    if args.mode is None:
        p.print_usage(sys.stderr)
        return EXIT_ERROR
    if args.jobs < 1:
        print("fasthx-migrate: --jobs must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    try:
        rules = select(args.mode, args.only, args.skip)
    except ValueError as exc:
        print(f"fasthx-migrate: {exc}", file=sys.stderr)
        return EXIT_ERROR
    write = not (args.diff or args.check)
    results, plan = run(args.paths, args.mode, rules, write=write, want_diff=args.diff,
                        jobs=args.jobs, exclude=args.exclude)
    if args.diff:
        for r in results:
            if r.diff:
                sys.stdout.write(r.diff)
    rep = report.build(results, plan, args.mode, [r.id for r in rules], write)
    if args.report:
        report.write_json(rep, args.report)
    if not args.quiet:
        print(report.human(rep, args.check), file=sys.stderr)
    if rep["summary"]["parse_errors"]:
        return EXIT_ERROR
    if args.check and rep["summary"]["files_changed"]:
        return EXIT_CHANGES
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
