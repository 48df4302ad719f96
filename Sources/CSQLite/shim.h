// SQLite's C API (https://www.sqlite.org/c3ref/intro.html), linked from the system library.
#include <sqlite3.h>
