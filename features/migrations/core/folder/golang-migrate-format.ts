/** golang-migrate's file name rule (source/parse.go). */
export const GOLANG_MIGRATE_FILE = /^(\d+)_(.*)\.(up|down)\.sql$/i;
