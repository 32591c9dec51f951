#ifndef REVISIT_SQLITE_SHIM_H
#define REVISIT_SQLITE_SHIM_H

/// Turns on SQLite's query-planner stability guarantee for one connection, so a cached prepared
/// statement keeps its plan instead of being prepared again whenever a bound value changes.
/// `sqlite3_db_config` is variadic, which Swift cannot call; this is the one C line that does.
int revisit_sqlite_enable_qpsg(void *db);

#endif
