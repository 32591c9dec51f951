#include "RevisitSQLiteShim.h"

// The SQLite that sqlite-nio links (its symbols carry the sqlite_nio_ prefix). Declared here rather than
// through its header because that header belongs to a target of another package.
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG in sqlite3.h.
#define REVISIT_SQLITE_DBCONFIG_ENABLE_QPSG 1007

int revisit_sqlite_enable_qpsg(void *db) {
    int enabled = 0;
    return sqlite_nio_sqlite3_db_config(db, REVISIT_SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
}
