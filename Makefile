# memscope - where did the memory go, from a kernel crash dump.
# SPDX-License-Identifier: GPL-2.0-or-later

CC      ?= gcc
PREFIX  ?= /usr
EXTDIR  ?= $(PREFIX)/lib/crash/extensions
CRASH_INCLUDE ?= /usr/include/crash
PYTHON  ?= /usr/bin/python3

WARN    := -Wall -Wextra
CFLAGS  ?= -O2 -g
JANSSON_CFLAGS := $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS   := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
CHECK_CFLAGS   := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS     := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

# lib/ is plain C11; the extension needs GNU C for crash's defs.h.
LIB_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -fPIC $(JANSSON_CFLAGS) $(CFLAGS)
EXT_CFLAGS := -std=gnu11 $(WARN) -fPIC -I$(CRASH_INCLUDE) $(JANSSON_CFLAGS) $(CFLAGS)
BUILD   ?= build
SO      := $(BUILD)/memscope.so
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer

LIB_SRC := $(wildcard lib/*.c)
LIB_HDR := $(wildcard lib/*.h)
LIB_OBJ := $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
EXT_SRC := $(wildcard extension/*.c)
EXT_OBJ := $(EXT_SRC:extension/%.c=$(BUILD)/ext/%.o)
KD_SRC  := $(wildcard kdumpfile/*.c)
# The extension needs only the dump reader; types and symbols come from crash.
KD_OBJ  := $(BUILD)/kd/dumpfile.o $(BUILD)/kd/flattened.o
KD_ALL_OBJ := $(KD_SRC:kdumpfile/%.c=$(BUILD)/kd/%.o)
KDUMP_LIBS := $(shell pkg-config --libs libkdumpfile 2>/dev/null || echo -lkdumpfile)
# The standalone CLI: kallsyms, BTF (libbpf) and DWARF (libdw) on top.
CLI     := $(BUILD)/memscope
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:cli/%.c=$(BUILD)/cli/%.o)
CLI_LIBS := $(KDUMP_LIBS) $(shell pkg-config --libs libbpf libdw 2>/dev/null || echo -lbpf -ldw -lelf) \
	$(JANSSON_LIBS) -lm
UNIT_SRC := $(wildcard tests/unit/*.c)

.PHONY: all check check-unit check-vmcore cli-asan install uninstall clean dumps

all: $(SO) $(CLI)

$(BUILD)/lib/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -c -o $@ $<

$(BUILD)/ext/%.o: extension/%.c extension/memscope_ext.h $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(EXT_CFLAGS) -c -o $@ $<

# libkdumpfile: the second dump of memdiff (and the standalone CLI).
$(BUILD)/kd/%.o: kdumpfile/%.c $(wildcard kdumpfile/*.h) $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -fPIC $(CFLAGS) -c -o $@ $<

$(SO): $(EXT_OBJ) $(LIB_OBJ) $(KD_OBJ)
	$(CC) -shared -o $@ $^ $(JANSSON_LIBS) $(KDUMP_LIBS)

$(BUILD)/cli/%.o: cli/%.c cli/cli.h $(wildcard kdumpfile/*.h) $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(JANSSON_CFLAGS) $(CFLAGS) -c -o $@ $<

$(CLI): $(CLI_OBJ) $(LIB_OBJ) $(KD_ALL_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CLI_LIBS)

# Unit tests: lib/ compiled again with sanitizers, against a fake target.
# kallsyms.c decodes synthetic tables there too (it needs nothing but reads).
UNIT_KD_SRC := kdumpfile/kallsyms.c
$(BUILD)/unit_tests: $(UNIT_SRC) $(LIB_SRC) $(LIB_HDR) $(UNIT_KD_SRC) $(wildcard tests/unit/*.h) \
		kdumpfile/kallsyms.h
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -g -O1 $(SAN) -Ilib -Ikdumpfile \
		$(JANSSON_CFLAGS) $(CHECK_CFLAGS) -o $@ $(UNIT_SRC) $(LIB_SRC) $(UNIT_KD_SRC) \
		$(CHECK_LIBS) $(JANSSON_LIBS)

check-unit: $(BUILD)/unit_tests
	./$(BUILD)/unit_tests

# The CLI again with sanitizers, run on corrupted dumps by the vmcore tests.
ASAN_CLI := $(BUILD)/asan/memscope
cli-asan:
	$(MAKE) -s BUILD=$(BUILD)/asan CFLAGS="-O1 -g $(SAN)" $(ASAN_CLI)

# vmcore tests: crash loads the extension on real dumps made by vmcores/.
check-vmcore: $(SO) $(CLI) cli-asan
	MEMSCOPE_SO=$(abspath $(SO)) MEMSCOPE_CLI=$(abspath $(CLI)) \
		MEMSCOPE_CLI_ASAN=$(abspath $(ASAN_CLI)) $(PYTHON) -m pytest -q tests/vmcore

check: check-unit check-vmcore

dumps:
	bash vmcores/make-dumps.sh

install: $(SO) $(CLI)
	install -d $(DESTDIR)$(EXTDIR)
	install -m 0644 $(SO) $(DESTDIR)$(EXTDIR)/memscope.so
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/bin/memscope

uninstall:
	rm -f $(DESTDIR)$(EXTDIR)/memscope.so $(DESTDIR)$(PREFIX)/bin/memscope

clean:
	rm -rf $(BUILD)
