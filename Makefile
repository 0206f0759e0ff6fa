# A thin wrapper over Meson and Ninja. See README.md.
#   make demo    install what is missing, build, run the main job on sample data
#   make serve   the hub on 127.0.0.1:8080 over the demo's store, until Ctrl-C
#   make check   install what is missing, build, run every test (plain and
#                under AddressSanitizer + UBSan) and the static checks
#   make fuzz    build the fuzz harnesses with clang and libFuzzer and run
#                each for FUZZ_SECONDS (tests/fuzz/README.md)
#   make soak    the hub for SOAK_SECONDS (1800) under mixed load; fails if
#                its memory or open files grow or a request fails (bench/soak)
#   make valgrind  the hub's JSON API driven under valgrind memcheck: no
#                errors, no definite leaks (tests/hub/valgrind)
BUILD      ?= build
ASAN_BUILD ?= build-asan
MESON      ?= meson
JOBS       ?= $(shell nproc)
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv returns service aliases service_defs releases published \
                framework assessment practice_query request

.PHONY: all deps build build-asan check test test-asan lint demo serve bench update-expected clean fuzz soak valgrind

all: build

deps:
	@./scripts/install-deps

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=debugoptimized

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fno-sanitize-recover=all

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

build-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD) -j $(JOBS)

test: build
	$(MESON) test -C $(BUILD) --print-errorlogs

test-asan: build-asan
	$(MESON) test -C $(ASAN_BUILD) --print-errorlogs

lint: build
	./scripts/lint $(BUILD)

check: test test-asan lint

# libFuzzer, AddressSanitizer and UBSan, with clang, in a build of its own.
# Crashes go to tests/fuzz/crashes/NAME/, new inputs to tests/fuzz/corpus/.
$(FUZZ_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ_BUILD) --buildtype=debugoptimized \
		-Dfuzz=true -Dwerror=false \
		-Db_sanitize=address,undefined -Db_lundef=false \
		'-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer'

fuzz: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) -j $(JOBS) $(addprefix tests/fuzz/fuzz_,$(FUZZ_TARGETS))
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_TARGETS)

demo: build
	./scripts/demo $(BUILD)/parity

# The hub on loopback over the demo's store and site, until Ctrl-C.
serve: build
	$(BUILD)/parity serve --db demo-output/parity.db --site demo-output/site \
		--listen 127.0.0.1:8080

# BENCH_ROWS: staff in each national file (bench/national lists the rest).
BENCH_ROWS ?= 10000000
bench: build
	BENCH_ROWS=$(BENCH_ROWS) ./bench/run $(BUILD)/parity

# Rewrite the end-to-end tests' expected output from what parity does now.
# Read the diff before committing it.
update-expected: build
	tests/cli/run $(BUILD)/parity --update

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# The hub for SOAK_SECONDS under a modest mixed load (reads, uploads,
# sign-ins), its memory and open files sampled every 10 s into
# $(BUILD)/soak.csv; fails on growth past bench/soak's bound. Not in check.
SOAK_SECONDS ?= 1800
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) ./bench/soak $(BUILD)/parity $(BUILD)/soak.csv

# The hub's JSON API, every route with several callers and bad input,
# under valgrind memcheck: fails on any error or definite leak. Slow
# (several minutes); not in check.
valgrind: build
	tests/hub/valgrind $(BUILD)/parity $(BUILD)/valgrind-hub.log
