struct ms_log_record {
	uint64_t seq; uint64_t ts_nsec; uint8_t level; uint8_t facility; uint8_t flags;
	uint32_t caller_id;	/* 0 if not recorded */
	const char *text;	/* NUL-terminated; may hold '\n' */
	size_t len;
};
typedef struct ms_error *ms_log_fn(const struct ms_log_record *rec, void *arg);
struct ms_log_stats { uint64_t first_seq, next_seq, records, skipped; const char *format; };
struct ms_error *ms_log_walk(struct ms_target *t, ms_log_fn *fn, void *arg, struct ms_log_stats *stats);
