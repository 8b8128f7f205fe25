/*
 * render_internal.h - what the three renderers share: UTF-8 walking,
 * display widths, the cell text of a model cell, the column a row indents
 *
 * Not installed; only the files in reports/ include it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_RENDER_INTERNAL_H
#define CUNJI_REPORTS_RENDER_INTERNAL_H

#include <stddef.h>

#include <reports/report.h>

/* Decode one UTF-8 sequence at s; returns its length (1 for a stray byte
 * or a code point past U+10FFFF, decoded as U+FFFD).  s must be
 * NUL-terminated. */
int cj__utf8_next(const char *s, unsigned *cp);
/* Terminal columns of one code point: 2 for East Asian wide, else 1. */
int cj__cp_width(unsigned cp);
/* Bytes of the longest prefix of s (whole characters) at most width columns
 * wide; at least one character when s is not empty. */
size_t cj__prefix_fitting(const char *s, int width);
/* A break after n bytes of s moved back one character when it would start
 * a line with closing punctuation or end one with an opening bracket. */
size_t cj__break_adjust(const char *s, size_t n);
/* Bytes of the unit of text at s that a line never breaks inside: a word
 * (a run of printable ASCII but space: a number, an amount, a voucher, ID
 * or phone number, a date; two words joined by 至, a date range, are one),
 * or else one character.  0 at the end of s. */
size_t cj__unit_len(const char *s);
/* May a line break between these two characters (at a unit boundary)?
 * Not before closing punctuation, nor after an opening bracket. */
int cj__break_ok(unsigned prev, unsigned next);
/* The text a cell shows: text, a formatted number, or "" (buf holds numbers). */
const char *cj__cell_text(const cj_table *t, size_t col, const cj_cell *cell, char *buf,
			  size_t size);
/* The column that shows row's level as indentation, or (size_t)-1 if none. */
size_t cj__indent_col(const cj_table *t, const cj_row *row);
/* Is the column numeric (summed by totals)? */
int cj__col_numeric(const cj_table *t, size_t col);
/* Does the cell (in row) take part in the row's sum or terms? */
int cj__cell_summed(const cj_table *t, const cj_row *row, size_t col);
/*
 * Write the TrueType font at path (face face of a collection) cut down to
 * the characters cps[0..n) to a new temporary file, whose name goes to tmp
 * (the caller removes it).  Returns 0, or -1 with a message in err.
 */
int cj__font_subset(const char *path, unsigned face, const unsigned *cps, size_t n, char *tmp,
		    size_t tmpsize, char *err, size_t errlen);

#endif
