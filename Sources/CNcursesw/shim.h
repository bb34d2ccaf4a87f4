// Bridge to ncursesw for Swift.
//
// The wide-character API (get_wch, add_wch, setcchar, cchar_t) is hidden unless
// NCURSES_WIDECHAR is defined before <curses.h>; SwiftPM drops the -D flags that
// pkg-config returns, so they are defined here. Macros and globals that do not
// import into Swift 6 are wrapped as static inline functions prefixed `pm_`.
#ifndef PAYOUTMON_CNCURSESW_SHIM_H
#define PAYOUTMON_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <wchar.h>
#include <stdlib.h>
#include <ncursesw/curses.h>

static inline WINDOW *pm_stdscr(void) { return stdscr; }
static inline int pm_lines(void) { return LINES; }
static inline int pm_cols(void) { return COLS; }
static inline int pm_getmaxy(void) { int y, x; getmaxyx(stdscr, y, x); (void)x; return y; }
static inline int pm_getmaxx(void) { int y, x; getmaxyx(stdscr, y, x); (void)y; return x; }

static inline attr_t pm_a_normal(void) { return A_NORMAL; }
static inline attr_t pm_a_bold(void) { return A_BOLD; }
static inline attr_t pm_a_reverse(void) { return A_REVERSE; }
static inline attr_t pm_a_underline(void) { return A_UNDERLINE; }
static inline attr_t pm_a_dim(void) { return A_DIM; }
static inline attr_t pm_color_pair(int n) { return COLOR_PAIR(n); }

static inline int pm_key_resize(void) { return KEY_RESIZE; }
static inline int pm_key_up(void) { return KEY_UP; }
static inline int pm_key_down(void) { return KEY_DOWN; }
static inline int pm_key_left(void) { return KEY_LEFT; }
static inline int pm_key_right(void) { return KEY_RIGHT; }
static inline int pm_key_npage(void) { return KEY_NPAGE; }
static inline int pm_key_ppage(void) { return KEY_PPAGE; }
static inline int pm_key_home(void) { return KEY_HOME; }
static inline int pm_key_end(void) { return KEY_END; }
static inline int pm_key_enter(void) { return KEY_ENTER; }
static inline int pm_key_btab(void) { return KEY_BTAB; }
static inline int pm_key_backspace(void) { return KEY_BACKSPACE; }
static inline int pm_key_code_yes(void) { return KEY_CODE_YES; }
static inline int pm_err(void) { return ERR; }
static inline int pm_ok(void) { return OK; }

/// Display width of one code point; -1 for non-printable. Valid after setlocale.
static inline int pm_wcwidth(unsigned int cp) { return wcwidth((wchar_t)cp); }

/// Reads one key: returns OK with a character, KEY_CODE_YES with a function key, or ERR.
static inline int pm_get_wch(unsigned int *out) {
    wint_t ch = 0;
    int rc = get_wch(&ch);
    *out = (unsigned int)ch;
    return rc;
}

/// Writes one wide character (with any combining marks) at y,x with attributes.
static inline int pm_put_wide(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cc);
}

static inline void pm_set_locale_from_env(void) { setlocale(LC_ALL, ""); }

#endif
