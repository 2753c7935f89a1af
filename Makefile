# The two commands of the README:
#   make setup   install what is missing, build (release), run the sample pipeline end to end
#   make test    the whole test suite (what .ci/run calls): deps incl. the browser and Spark,
#                swift test, sample-check, test-report, spark-test
#   make spark-test  scripts/opsetl-spark on a local Spark cluster vs `opsetl run` (Tests/Spark/)
#   make bench   opsetl vs the libcsv floor and DuckDB on a generated shop (USERS=2000000 RUNS=5)
SWIFT ?= swift
USERS ?= 2000000
RUNS ?= 5
DUCKDB_RUNS ?= 3

# the binary sample-check and test-report run: the debug build `swift test` has just made
# (make test), or another one (make sample-check BIN=.build/release/opsetl)
BIN ?= .build/debug/opsetl
PYTHON_VENV = .venv/bin/python

.PHONY: setup test deps deps-browser spark-deps build build-debug sample sample-check test-report spark-test bench clean fuzz test-tsan test-asan

deps:
	@scripts/install-deps.sh

# headless Chromium, its driver, CJK fonts and a venv with Selenium, for test-report
deps-browser:
	@scripts/install-deps.sh --browser

build: deps
	$(SWIFT) build -c release

sample: build
	.build/release/opsetl run pipelines/sample.json --verbose
	.build/release/opsetl run pipelines/sample-zh.json
	@echo "sample reports written under reports/: 2025-06-30/report.html (English), 2025-06-30-zh/report.html (Chinese); 16 months of history (since 2024-04-01)"

setup: sample

build-debug: deps
	$(SWIFT) build

# The committed sample against its independent checker (scripts/make_sample_data.py --check:
# Python re-reading of the SPEC), and the binary's outputs against the checker's figures.
sample-check: build-debug
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(BIN) run pipelines/sample.json --quiet --output "$$tmp/sample" && \
	  python3 scripts/make_sample_data.py --check --compare "$$tmp/sample"

# Both sample reports (en, zh) rendered in headless Chromium at 1280 and 390 px: no overflow
# outside a scroll area, no chart text under 10 px (Tests/ReportLayout/report_layout_test.py).
test-report: build-debug deps-browser
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && mkdir -p "$$tmp/reports" && \
	  $(BIN) run pipelines/sample.json --quiet --output "$$tmp/reports/en" && \
	  $(BIN) run pipelines/sample-zh.json --quiet --output "$$tmp/reports/zh" && \
	  $(PYTHON_VENV) Tests/ReportLayout/report_layout_test.py "$$tmp/reports/en/report.html" "$$tmp/reports/zh/report.html"

test: deps deps-browser spark-deps
	$(SWIFT) test
	$(MAKE) sample-check
	$(MAKE) test-report
	$(MAKE) spark-test

spark-deps:
	@scripts/install-deps.sh --spark

# Spark's local-cluster (3 executor JVMs) against `opsetl run`, with a planted map failure and a
# killed executor; the debug binary is enough for the small shop (Tests/Spark/README.md).
spark-test: spark-deps
	$(SWIFT) build --product opsetl
	python3 Tests/Spark/run_tests.py "$$($(SWIFT) build --show-bin-path)/opsetl"

bench: deps
	python3 bench/bench.py --users $(USERS) --runs $(RUNS) --duckdb-runs $(DUCKDB_RUNS)

# The test suite under ThreadSanitizer (the concurrent stages) and AddressSanitizer, each in its own build folder.
test-tsan: deps
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan

test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt $(SWIFT) test --sanitize=address --scratch-path .build-asan

# libFuzzer on the ingest and value-parser targets, FUZZ_SECONDS (default 600) each; see fuzz/README.md.
fuzz: deps
	FUZZ_SECONDS=$${FUZZ_SECONDS:-600} scripts/fuzz.sh

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan reports .spark-test
