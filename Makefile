# The two commands of the README:
#   make setup   install what is missing, build (release), run the sample pipeline end to end
#   make test    the whole test suite (what .ci/run calls)
SWIFT ?= swift

.PHONY: setup test deps build sample clean fuzz test-tsan test-asan

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

sample: build
	.build/release/opsetl run pipelines/sample.json --verbose
	@echo "sample report written under reports/"

setup: sample

test: deps
	$(SWIFT) test

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
