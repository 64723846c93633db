"""`python -m bench` (or `make bench`): every benchmark, each printing its ratios."""

import runpy
import sys

BENCHMARKS = [
    "bench.import_registry",
    "bench.assess",
    "bench.import_areas",
    "bench.fieldwork",
    "bench.procedures",
]

if __name__ == "__main__":
    for name in BENCHMARKS:
        try:
            __import__(name)
        except ModuleNotFoundError:
            continue
        print(f"== {name}", flush=True)
        sys.argv = [name]
        runpy.run_module(name, run_name="__main__")
