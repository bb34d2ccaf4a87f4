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
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <stdio.h>
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
static inline int pm_key_a1(void) { return KEY_A1; }
static inline int pm_key_c1(void) { return KEY_C1; }
static inline int pm_key_find(void) { return KEY_FIND; }
static inline int pm_key_select(void) { return KEY_SELECT; }
static inline int pm_key_mouse(void) { return KEY_MOUSE; }

/// Asks for clicks and the wheel (buttons 4 and 5); no click interval, so a press arrives at once.
static inline void pm_enable_mouse(void) {
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
}

/// The pending mouse event: 1 click, 2 wheel up, 3 wheel down, 0 other; -1 when none.
static inline int pm_get_mouse(int *x, int *y) {
    MEVENT ev;
    if (getmouse(&ev) != OK) return -1;
    *x = ev.x; *y = ev.y;
    if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (ev.bstate & BUTTON4_PRESSED) return 2;
    if (ev.bstate & BUTTON5_PRESSED) return 3;
    return 0;
}
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

static inline int pm_key_f0(void) { return KEY_F0; }
static inline int pm_key_dc(void) { return KEY_DC; }
static inline int pm_key_ic(void) { return KEY_IC; }
static inline int pm_colors(void) { return COLORS; }
static inline int pm_color_pairs(void) { return COLOR_PAIRS; }

/// Opens the terminal named by $TERM on stdout/stdin; NULL on failure (unlike
/// initscr, which exits the process).
static inline SCREEN *pm_newterm(void) { return newterm(NULL, stdout, stdin); }

/// 1 when LC_CTYPE's codeset is UTF-8.
static inline int pm_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0 || strcmp(cs, "UTF8") == 0);
}

/// Tries UTF-8 LC_CTYPE locales that usually exist; 1 when one took.
static inline int pm_try_utf8_ctype(void) {
    static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        if (setlocale(LC_CTYPE, names[i]) != NULL && pm_locale_is_utf8()) return 1;
    }
    return 0;
}

// Terminal restore on signals and exit.
//
// The handlers live here, in C, so nothing runs in signal context but endwin and
// async-signal-safe calls. endwin is not formally async-signal-safe; ncurses' own
// SIGINT handler calls it the same way, and the process ends right after. Call the
// pm_*restore* functions from ONE Swift file only: the saved actions are static
// (one copy per object file that uses them).

static const int pm__exit_signals[3] = { SIGINT, SIGTERM, SIGHUP };
static const int pm__crash_signals[6] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT };
// Storage behind accessors: Swift's importer does not emit tentative definitions.
static inline struct sigaction *pm__saved_exit(void) { static struct sigaction saved[3]; return saved; }
static inline struct sigaction *pm__saved_crash(void) { static struct sigaction saved[6]; return saved; }
static volatile sig_atomic_t pm__handlers_installed = 0;
static volatile sig_atomic_t pm__restore_armed = 0;

static inline void pm__restore_terminal_now(void) {
    if (pm__restore_armed && !isendwin()) endwin();
}

/// SIGINT/SIGTERM/SIGHUP: restore the terminal, exit with 128+signal.
static inline void pm__on_exit_signal(int sig) {
    pm__restore_terminal_now();
    _exit(128 + sig);
}

/// Crash signals: restore the terminal, put back the previous action (the Swift
/// runtime's backtracer or the default), and re-raise so it runs.
static inline void pm__on_crash_signal(int sig) {
    pm__restore_terminal_now();
    for (int i = 0; i < 6; ++i) {
        if (pm__crash_signals[i] == sig) sigaction(sig, &pm__saved_crash()[i], NULL);
    }
    raise(sig);
}

static inline void pm__atexit_restore(void) { pm__restore_terminal_now(); }

/// Installs the restoring handlers (once) and arms them. A signal the process
/// ignores (nohup) stays ignored. Also registers an atexit hook (once per process).
static inline void pm_install_restore_handlers(void) {
    static int atexit_done = 0;
    if (!atexit_done) { atexit_done = 1; atexit(pm__atexit_restore); }
    pm__restore_armed = 1;
    if (pm__handlers_installed) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; ++i) sigaddset(&sa.sa_mask, pm__exit_signals[i]);
    sa.sa_handler = pm__on_exit_signal;
    for (int i = 0; i < 3; ++i) {
        sigaction(pm__exit_signals[i], NULL, &pm__saved_exit()[i]);
        if (pm__saved_exit()[i].sa_handler == SIG_IGN) continue;
        sigaction(pm__exit_signals[i], &sa, NULL);
    }
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    sigemptyset(&crash.sa_mask);
    crash.sa_flags = SA_ONSTACK;
    crash.sa_handler = pm__on_crash_signal;
    for (int i = 0; i < 6; ++i) sigaction(pm__crash_signals[i], &crash, &pm__saved_crash()[i]);
    pm__handlers_installed = 1;
}

/// Disarms the hooks and puts back the actions saved by pm_install_restore_handlers.
static inline void pm_remove_restore_handlers(void) {
    pm__restore_armed = 0;
    if (!pm__handlers_installed) return;
    for (int i = 0; i < 3; ++i) sigaction(pm__exit_signals[i], &pm__saved_exit()[i], NULL);
    for (int i = 0; i < 6; ++i) sigaction(pm__crash_signals[i], &pm__saved_crash()[i], NULL);
    pm__handlers_installed = 0;
}

#endif
