"""Speed measurements, run with ``python -m benchmarks`` (see benchmarks/README.md). Not part of the test run."""
