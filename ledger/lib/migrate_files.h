/* migrate_files.h - the embedded schema files (generated table) */
#ifndef CUNJI_MIGRATE_FILES_H
#define CUNJI_MIGRATE_FILES_H

typedef struct cj_schema_file {
	const char *name; /* "0001_core.sql" */
	const char *sql;
} cj_schema_file;

/* Ends with {NULL, NULL}; sorted by name. */
extern const cj_schema_file cj_schema_files[];

#endif
