/*
 * text.h - strings read from a dump, made safe to print and to put in JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_TEXT_H
#define MEMSCOPE_TEXT_H

/*
 * Replace, in place, every byte of s that is not printable ASCII or part of a
 * well-formed UTF-8 character with '?'.  A name read from a corrupted dump
 * (a task's comm, a cache's name, a dentry) must neither drive the terminal
 * nor make JSON (which must be UTF-8) drop the value.  Returns how many
 * bytes were replaced.
 */
unsigned int ms_text_sanitize(char *s);

#endif
