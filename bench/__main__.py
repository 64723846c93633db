"""`python -m bench [--postgres URL] [NAME ...]` (or `make bench BENCH_ARGS=...`): every
benchmark (or the NAMEs given, e.g. `fieldwork`), each in its own process, each printing its
ratios. With `--postgres URL` the benchmarks that can build in PostgreSQL do so (in scratch
databases beside the one URL names) and the PostgreSQL-only ones run too."""

import argparse
import subprocess
import sys

BENCHMARKS = [
    "import_registry",
    "assess",
    "import_areas",
    "fieldwork",
    "procedures",
    "api_list",
]
POSTGRES = {"import_registry", "fieldwork", "procedures", "api_list"}  # take --postgres URL
POSTGRES_ONLY = {"api_list"}  # builds its data in PostgreSQL's SQL


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="build in scratch PostgreSQL databases")
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    args = parser.parse_args(argv)
    if unknown := set(args.names) - set(BENCHMARKS):
        parser.error(f"no benchmark {', '.join(sorted(unknown))}: {', '.join(BENCHMARKS)}")
    failed = []
    for name in args.names or BENCHMARKS:
        if name in POSTGRES_ONLY and not args.postgres:
            print(f"== bench.{name}: skipped, it needs --postgres URL", flush=True)
            continue
        print(f"== bench.{name}", flush=True)
        command = [sys.executable, "-m", f"bench.{name}"]
        if args.postgres and name in POSTGRES:
            command += ["--postgres", args.postgres]
        if subprocess.run(command, check=False).returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
