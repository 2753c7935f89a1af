# The two commands of the README:
#   make setup   install what is missing, build (release), run the sample pipeline end to end
#   make test    the whole test suite (what .ci/run calls)
#   make bench   opsetl vs the libcsv floor and DuckDB on a generated shop (USERS=2000000 RUNS=5)
SWIFT ?= swift
USERS ?= 2000000
RUNS ?= 5
DUCKDB_RUNS ?= 3

.PHONY: setup test deps build sample bench clean fuzz test-tsan test-asan

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
	rm -rf .build .build-fuzz .build-asan .build-tsan reports
