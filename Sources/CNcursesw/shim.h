// The one C header through which Wand reaches libncursesw.
// Swift 6 cannot read ncurses' global variables (they are mutable C globals) or
// its function-like macros, so this shim exposes them as small inline accessors.
#ifndef WAND_CNCURSESW_SHIM_H
#define WAND_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *wand_stdscr(void) { return stdscr; }
static inline int wand_cols(void) { return COLS; }
static inline int wand_lines(void) { return LINES; }
static inline int wand_colors(void) { return COLORS; }
static inline int wand_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t wand_attr_normal(void) { return A_NORMAL; }
static inline attr_t wand_attr_bold(void) { return A_BOLD; }
static inline attr_t wand_attr_dim(void) { return A_DIM; }
static inline attr_t wand_attr_italic(void) { return A_ITALIC; }
static inline attr_t wand_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t wand_attr_reverse(void) { return A_REVERSE; }

static inline int wand_key_f(int n) { return KEY_F(n); }

/// Puts one grapheme (up to 8 UTF-32 code points) with attributes and a colour pair at (y, x).
static inline int wand_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// The colour count terminfo gives for a terminal type (without opening the terminal), or -1.
static inline int wand_terminfo_colors(const char *term) {
    int error = 0;
    if (setupterm(term, -1, &error) != OK) return -1;
    int colors = tigetnum("colors");
    del_curterm(cur_term);
    return colors;
}

#endif
