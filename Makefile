# memscope - where did the memory go, from a kernel crash dump.
# SPDX-License-Identifier: GPL-2.0-or-later

CC      ?= gcc
PREFIX  ?= /usr
# crash looks for an extension named without a path in $CRASH_EXTENSIONS,
# /usr/lib64/crash/extensions (64-bit), /usr/lib/crash/extensions, then
# ./extensions (crash's extensions.c, in_extensions_library()): fixed
# paths, not under PREFIX.
EXTDIR  ?= /usr/lib/crash/extensions
# The crash whose defs.h memscope.so is built against: Debian 12's by
# default (build/memscope.so); another, e.g. a scripts/build-crash.sh cache,
# with `make CRASH_INCLUDE=DIR` (build/crash-VERSION/memscope.so).  Its
# version is that of the crash beside it (DIR/../../bin/crash), or given.
CRASH_INCLUDE ?= /usr/include/crash
CRASH_BIN ?= $(abspath $(CRASH_INCLUDE)/../../bin/crash)
ifeq ($(origin CRASH_VERSION),undefined)
CRASH_VERSION := $(shell $(CRASH_BIN) --version 2>/dev/null | sed -n 's/^crash \([^ ]*\).*/\1/p' | head -1)
endif
PYTHON  ?= /usr/bin/python3

WARN    := -Wall -Wextra
CFLAGS  ?= -O2 -g
JANSSON_CFLAGS := $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS   := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
CHECK_CFLAGS   := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS     := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

# lib/ is plain C11; the extension needs GNU C for crash's defs.h.
# lib/base: target, errors, kernel facts; lib/mm: the analyses; lib/report:
# printers, JSON and snapshots; lib/cmd: the command table (ARCHITECTURE.md);
# lib/log: the kernel log (printk_ringbuffer, log_buf).
LIB_DIRS := lib/base lib/mm lib/log lib/report lib/cmd
LIB_INC := $(addprefix -I,$(LIB_DIRS))
DEPFLAGS = -MMD -MP
LIB_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -fPIC $(LIB_INC) $(JANSSON_CFLAGS) $(CFLAGS)
EXT_CFLAGS := -std=gnu11 $(WARN) -fPIC -I$(CRASH_INCLUDE) $(LIB_INC) -Istandalone \
	$(JANSSON_CFLAGS) $(CFLAGS)
BUILD   ?= build
ifeq ($(abspath $(CRASH_INCLUDE)),/usr/include/crash)
EXT_BUILD := $(BUILD)
else
EXT_BUILD := $(BUILD)/crash-$(or $(CRASH_VERSION),unknown)
endif
SO      := $(EXT_BUILD)/memscope.so
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer

LIB_SRC := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
EXT_SRC := $(wildcard extension/*.c)
EXT_OBJ := $(EXT_SRC:%.c=$(EXT_BUILD)/%.o)
# standalone/: memscope's own target on libkdumpfile (reader, kallsyms, BTF,
# DWARF), for the CLI and for memdiff's second dump.
SA_SRC  := $(wildcard standalone/*.c)
SA_OBJ  := $(SA_SRC:%.c=$(BUILD)/%.o)
KDUMP_LIBS := $(shell pkg-config --libs libkdumpfile libaddrxlat 2>/dev/null || echo -lkdumpfile -laddrxlat)
SA_LIBS := $(KDUMP_LIBS) $(shell pkg-config --libs libbpf libdw 2>/dev/null || echo -lbpf -ldw -lelf)
CLI     := $(BUILD)/memscope
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
CLI_LIBS := $(SA_LIBS) $(JANSSON_LIBS) -lm
UNIT_SRC := $(wildcard tests/unit/*.c)

# FORCE: see crash-version above.
.PHONY: FORCE all check check-unit check-vmcore cli-asan install uninstall clean dumps fuzz fuzz-build

# memscope(1) and its bash completion, written by the CLI from the command
# table (cli/manual.c), so that they cannot drift from --help.
MAN     := $(BUILD)/memscope.1
COMPLETION := $(BUILD)/memscope.bash
MANDIR  ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
# Every --json's JSON Schema (schemas/, ARCHITECTURE.md "Adding a command").
SCHEMADIR ?= $(PREFIX)/share/memscope/schemas

all: $(SO) $(CLI) $(MAN) $(COMPLETION)

$(MAN): $(CLI)
	$(CLI) --man > $@.tmp && mv $@.tmp $@

$(COMPLETION): $(CLI)
	$(CLI) --bash-completion > $@.tmp && mv $@.tmp $@

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(EXT_BUILD)/extension/%.o: extension/%.c
	@mkdir -p $(dir $@)
	$(CC) $(EXT_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# The crash version it is built for, said at `extend` in another crash.
$(EXT_BUILD)/extension/crashver.o: EXT_CFLAGS += -DMS_CRASH_VERSION='"$(CRASH_VERSION)"' \
	-DMS_SOURCE_DIR='"$(CURDIR)"'
$(EXT_BUILD)/extension/crashver.o: $(EXT_BUILD)/crash-version
$(EXT_BUILD)/crash-version: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CRASH_VERSION) $(CURDIR)' | cmp -s - $@ || echo '$(CRASH_VERSION) $(CURDIR)' > $@
FORCE:

$(BUILD)/standalone/%.o: standalone/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -fPIC $(LIB_INC) $(JANSSON_CFLAGS) $(CFLAGS) \
		$(DEPFLAGS) -c -o $@ $<

$(SO): $(EXT_OBJ) $(LIB_OBJ) $(SA_OBJ)
	$(CC) -shared -o $@ $^ $(JANSSON_LIBS) $(SA_LIBS)

$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(LIB_INC) -Istandalone $(JANSSON_CFLAGS) $(CFLAGS) \
		$(DEPFLAGS) -c -o $@ $<

$(CLI): $(CLI_OBJ) $(LIB_OBJ) $(SA_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CLI_LIBS)

-include $(LIB_OBJ:.o=.d) $(EXT_OBJ:.o=.d) $(SA_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# Unit tests: lib/ compiled again with sanitizers, against a fake target.
# kallsyms.c decodes synthetic tables there too (it needs nothing but reads),
# kallsyms_elf.c a small vmlinux the test writes with libelf.
UNIT_SA_SRC := standalone/kallsyms.c standalone/kallsyms_elf.c $(wildcard standalone/dumpcheck*.c) \
	standalone/flattened.c \
	extension/crashver_check.c extension/gdb_text.c
$(BUILD)/unit_tests: $(UNIT_SRC) $(LIB_SRC) $(UNIT_SA_SRC) $(wildcard tests/unit/*.h) \
		$(foreach d,$(LIB_DIRS) standalone,$(wildcard $(d)/*.h)) extension/crashver_check.h extension/gdb_text.h
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -g -O1 $(SAN) $(LIB_INC) -Istandalone \
		-Iextension $(JANSSON_CFLAGS) $(CHECK_CFLAGS) -o $@ $(UNIT_SRC) $(LIB_SRC) $(UNIT_SA_SRC) \
		$(CHECK_LIBS) $(JANSSON_LIBS) -lelf

# Check's 4 s per test is too short for ASan on a loaded 2-core machine;
# a hang still ends.
check-unit: $(BUILD)/unit_tests
	CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-120} ./$(BUILD)/unit_tests

# The CLI again with sanitizers, run on corrupted dumps by the vmcore tests.
ASAN_CLI := $(BUILD)/asan/memscope
cli-asan:
	$(MAKE) -s BUILD=$(BUILD)/asan CFLAGS="-O1 -g $(SAN)" $(ASAN_CLI)

# vmcore tests: crash loads the extension on real dumps made by vmcores/
# (both kernels' made first, side by side, unless MEMSCOPE_DUMPS names them).
# One pytest worker per core (pytest-xdist), a test module per worker: the
# modules keep their crash sessions and CLI outputs per process.
# The other crash versions named by MEMSCOPE_CRASH_VERSIONS ("all" by
# default: every one scripts/debian-crash.sh --list names; empty for none;
# test_crash_versions.py) are set up in the background from the start, niced,
# one after the other, into their cache: Debian's binaries of those releases
# (scripts/debian-crash.sh), or with MEMSCOPE_CRASH_FROM=build built from
# source (scripts/build-crash.sh); the module waits on a set-up's lock.
TEST_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CRASH_SETUP = scripts/$(if $(filter build,$(MEMSCOPE_CRASH_FROM)),build,debian)-crash.sh
check-vmcore: $(SO) $(CLI) cli-asan
	@mkdir -p $(BUILD); v=$${MEMSCOPE_CRASH_VERSIONS-all}; \
	[ "$$v" != all ] || v=$$(bash $(CRASH_SETUP) --list); \
	{ for x in $$v; do nice bash $(CRASH_SETUP) $$x; done >$(BUILD)/crash-versions.log 2>&1 & }; \
	[ -z "$$v" ] || echo "crash versions $$v: $(CRASH_SETUP) in the background (log: $(BUILD)/crash-versions.log)"
	[ -n "$$MEMSCOPE_DUMPS" ] || bash scripts/dumps.sh
	MEMSCOPE_SO=$(abspath $(SO)) MEMSCOPE_CLI=$(abspath $(CLI)) \
		MEMSCOPE_CLI_ASAN=$(abspath $(ASAN_CLI)) $(PYTHON) -m pytest -q \
		-n $(TEST_JOBS) --dist loadfile --durations=15 tests/vmcore

# libFuzzer harnesses (tests/fuzz/): the header checks, the snapshot reader,
# the flattened stream, the kallsyms decoder, BTF from dump memory, the OOM
# report parser, the printk ring on a synthetic target, the extension's
# reading of gdb's printed enums; clang with
# -fsanitize=fuzzer,address,undefined.  `make fuzz` runs each for
# FUZZ_SECONDS, two at a time, from the seeds in tests/fuzz/corpus/ and the
# kept crashers in tests/fuzz/regress/ (each is run first: a regression fails
# the run); new inputs go to build/fuzz/, crashers as build/fuzz/crash-NAME-*.
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 60
FUZZERS := dumpcheck snapshot flattened kallsyms btf oomreport printk gdb_text
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SAN := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_LIB_SRC := $(filter-out lib/cmd/%,$(LIB_SRC)) $(wildcard standalone/dumpcheck*.c) standalone/flattened.c \
	standalone/kallsyms.c standalone/btf_types.c extension/gdb_text.c
FUZZ_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)

# lib/ as in its own build (POSIX), standalone/ with GNU extensions.
$(FUZZ_DIR)/obj/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
		$(LIB_INC) $(JANSSON_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/obj/standalone/%.o: standalone/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(LIB_INC) \
		$(JANSSON_CFLAGS) -c -o $@ $<

# gdb_text.c needs no crash header: built as lib/ is.
$(FUZZ_DIR)/obj/extension/%.o: extension/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
		$(LIB_INC) -c -o $@ $<

# The printk ring is fuzzed in the unit tests' synthetic target.
$(FUZZ_DIR)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
		$(LIB_INC) -c -o $@ $<

$(FUZZ_DIR)/fuzz_printk: $(FUZZ_DIR)/obj/tests/unit/fake_target.o

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer $(LIB_INC) \
		-Istandalone -Itests/unit -Iextension $(JANSSON_CFLAGS) -o $@ $^ $(JANSSON_LIBS) -lbpf -lelf -lz -lm

.SECONDARY: $(FUZZ_OBJ)
fuzz-build: $(FUZZERS:%=$(FUZZ_DIR)/fuzz_%)

fuzz-run-%: $(FUZZ_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/corpus-$* tests/fuzz/regress/$*
	./$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/crash-$*- $(FUZZ_DIR)/corpus-$* \
		tests/fuzz/corpus/$* tests/fuzz/regress/$* > $(FUZZ_DIR)/$*.log 2>&1 || \
		{ tail -40 $(FUZZ_DIR)/$*.log; exit 1; }
	@grep -h "stat::number_of_executed_units" $(FUZZ_DIR)/$*.log | sed 's/^/fuzz $*: /'

fuzz:
	$(MAKE) -j2 fuzz-build
	$(MAKE) -j2 $(FUZZERS:%=fuzz-run-%)

# The test run's fuzzing: the seeds and kept crashers first (a regression
# fails), then CHECK_FUZZ_SECONDS of new inputs each; a campaign is
# `make fuzz FUZZ_SECONDS=...`.
CHECK_FUZZ_SECONDS ?= 30
check: check-unit check-vmcore
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

dumps:
	bash vmcores/make-dumps.sh

install: $(SO) $(CLI) $(MAN) $(COMPLETION)
	install -d $(DESTDIR)$(EXTDIR)
	install -m 0644 $(SO) $(DESTDIR)$(EXTDIR)/memscope.so
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/bin/memscope
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(SCHEMADIR)
	install -m 0644 $(MAN) $(DESTDIR)$(MANDIR)/man1/memscope.1
	install -m 0644 $(COMPLETION) $(DESTDIR)$(COMPLETIONDIR)/memscope
	install -m 0644 schemas/*.schema.json $(DESTDIR)$(SCHEMADIR)/

uninstall:
	rm -f $(DESTDIR)$(EXTDIR)/memscope.so $(DESTDIR)$(PREFIX)/bin/memscope \
		$(DESTDIR)$(MANDIR)/man1/memscope.1 $(DESTDIR)$(COMPLETIONDIR)/memscope
	rm -rf $(DESTDIR)$(SCHEMADIR)

clean:
	rm -rf $(BUILD)
