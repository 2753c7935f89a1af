# The two commands of the README:
#   make setup   install what is missing, build (release), run the sample pipeline end to end
#   make test    the whole test suite (what .ci/run calls), Spark identity tests included
#   make spark-test  scripts/opsetl-spark on a local Spark cluster vs `opsetl run` (Tests/Spark/)
#   make bench   opsetl vs the libcsv floor and DuckDB on a generated shop (USERS=2000000 RUNS=5)
SWIFT ?= swift
USERS ?= 2000000
RUNS ?= 5
DUCKDB_RUNS ?= 3

.PHONY: setup test deps spark-deps build sample bench clean fuzz test-tsan test-asan spark-test

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

sample: build
	.build/release/opsetl run pipelines/sample.json --verbose
	.build/release/opsetl run pipelines/sample-zh.json
	@echo "sample reports written under reports/: 2025-06-30/report.html (English), 2025-06-30-zh/report.html (Chinese)"

setup: sample

test: deps
	$(SWIFT) test
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
