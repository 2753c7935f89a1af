# The two commands of the README:
#   make setup   install what is missing, build (release), run the sample pipeline end to end
#   make test    the whole test suite (what .ci/run calls)
SWIFT ?= swift

.PHONY: setup test deps build sample clean

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

clean:
	rm -rf .build reports
