namespace Scripting.Storage.DuckDb;

/// <summary>
/// InfluxDB 3's SQL functions that DuckDB lacks or names otherwise, as macros every reader connection
/// defines before its first query: the names users call (<c>nvl</c>, <c>btrim</c>, <c>var</c>,
/// <c>to_timestamp_nanos</c>, ...) with InfluxDB's argument rules and results, and the <c>df_*</c> helpers
/// the query layer's translation calls. Macros expand inline when a query is planned, so they cost what
/// the expression they stand for costs.
/// </summary>
internal static class DataFusionFunctions
{
    /// <summary>Text is RFC 3339, a timestamp stays itself, a number counts <paramref name="unit"/> nanoseconds since the epoch.</summary>
    private static string Timestamp(string unit) =>
        $"CASE WHEN typeof(x) = 'VARCHAR' THEN CAST(x AS TIMESTAMP_NS) WHEN typeof(x) LIKE 'TIMESTAMP%' THEN CAST(x AS TIMESTAMP_NS) ELSE make_timestamp_ns(CAST(trunc(x * {unit}) AS BIGINT)) END";

    public static readonly string Definitions = string.Join('\n', [.. Macros.Select(m => $"CREATE TEMP MACRO {m};")]);

    private static IEnumerable<string> Macros =>
    [
        // Helpers of the translation.
        "df_divisor(d) AS CASE WHEN d = 0 THEN error('Arrow error: Divide by zero error') ELSE d END",
        "df_float_mod(a, b) AS CASE WHEN b = 0 THEN 'NaN'::DOUBLE ELSE a % b END",
        "df_bin(source, stride, origin) AS source - (((source - origin) % stride) + stride) % stride",
        "df_timestamp_add(t, months, days, nanoseconds) AS make_timestamp_ns(epoch_ns(t) + (epoch_us(CAST(t AS TIMESTAMP) + to_months(CAST(months AS INTEGER)) + to_days(CAST(days AS INTEGER))) - epoch_us(CAST(t AS TIMESTAMP))) * 1000 + nanoseconds)",
        "df_timestamp_plus_interval(t, i) AS make_timestamp_ns(epoch_ns(t) + (epoch_us(CAST(t AS TIMESTAMP) + i) - epoch_us(CAST(t AS TIMESTAMP))) * 1000)",
        "df_timestamp_minus_interval(t, i) AS make_timestamp_ns(epoch_ns(t) + (epoch_us(CAST(t AS TIMESTAMP) - i) - epoch_us(CAST(t AS TIMESTAMP))) * 1000)",
        "df_timestamp_text(t) AS CASE WHEN epoch_ns(t) % 1000000000 = 0 THEN strftime(t, '%Y-%m-%dT%H:%M:%S') " +
        "WHEN epoch_ns(t) % 1000000 = 0 THEN strftime(t, '%Y-%m-%dT%H:%M:%S.%g') WHEN epoch_ns(t) % 1000 = 0 THEN strftime(t, '%Y-%m-%dT%H:%M:%S.%f') " +
        "ELSE strftime(CAST(t AS TIMESTAMP_NS), '%Y-%m-%dT%H:%M:%S.%n') END",
        "df_to_hex(x) AS lower(to_hex(x))",
        "df_median(x) AS median(x)",
        "df_power(a, b) AS power(a, b)",
        "df_sha256(x) AS sha256(x)",
        "df_base64(x) AS to_base64(CAST(x AS BLOB))",
        "df_unixtime(t) AS CAST(floor(epoch_ns(CAST(t AS TIMESTAMP_NS)) / 1000000000) AS BIGINT)",
        "df_days_to_date(x) AS CAST(DATE '1970-01-01' + CAST(x AS INTEGER) AS DATE)",
        "df_truncate_timestamp(t, unit) AS make_timestamp_ns(df_bin(epoch_ns(t), unit, 0))",
        "df_parse_timestamp(x) AS CASE WHEN x IS NULL THEN NULL WHEN TRY_CAST(x AS TIMESTAMP_NS) IS NULL " +
        "THEN error('Execution error: Error parsing timestamp from ''' || x || ''': error parsing date') ELSE CAST(x AS TIMESTAMP_NS) END",
        "df_try_timestamp(x) AS TRY_CAST(x AS TIMESTAMP_NS)",
        "df_checked_integer(x, type) AS CASE WHEN x IS NULL THEN NULL WHEN regexp_full_match(trim(x), '[+-]?[0-9]+') THEN trim(x) " +
        "ELSE error('Cast error: Cannot cast string ''' || x || ''' to value of ' || type || ' type') END",
        "df_fraction(t) AS CASE WHEN epoch_ns(t) % 1000000000 = 0 THEN '' WHEN epoch_ns(t) % 1000000 = 0 THEN '.' || strftime(t, '%g') " +
        "WHEN epoch_ns(t) % 1000 = 0 THEN '.' || strftime(t, '%f') ELSE '.' || strftime(CAST(t AS TIMESTAMP_NS), '%n') END",
        "df_month_bin(source, months, origin) AS CAST(CAST(origin AS TIMESTAMP) + to_months(CAST(floor(date_diff('month', CAST(origin AS TIMESTAMP), CAST(source AS TIMESTAMP)) / months) * months AS INTEGER)) AS TIMESTAMP_NS)",
        "df_bin_months(source, months, origin) AS CASE WHEN df_month_bin(source, months, origin) > source " +
        "THEN CAST(CAST(df_month_bin(source, months, origin) AS TIMESTAMP) - to_months(CAST(months AS INTEGER)) AS TIMESTAMP_NS) ELSE df_month_bin(source, months, origin) END",
        "df_array_position_from(list, x, start) AS list_position(list[start:], x) + start - 1",
        "df_empty(list) AS len(list) = 0",
        "df_to_wall(t, zone) AS make_timestamp_ns(epoch_ns(t) + (epoch_us(timezone(zone, CAST(CAST(t AS TIMESTAMP) AS TIMESTAMPTZ))) - epoch_us(CAST(t AS TIMESTAMP))) * 1000)",
        "df_from_wall(w, zone) AS make_timestamp_ns(epoch_ns(w) - (epoch_us(CAST(w AS TIMESTAMP)) - epoch_us(timezone(zone, CAST(w AS TIMESTAMP)))) * 1000)",
        "df_current_time() AS CAST(CAST(current_timestamp AS TIMESTAMP) AS TIME)",

        // date_bin with a stride of months (fixed strides are translated to nanosecond arithmetic).
        "date_bin(stride, source, origin := TIMESTAMP '1970-01-01 00:00:00') AS time_bucket(stride, CAST(source AS TIMESTAMP), CAST(origin AS TIMESTAMP))",

        // Conditional functions.
        "nvl(a, b) AS coalesce(a, b)",
        "nvl2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END",

        // Math functions.
        "signum(x) AS CAST(sign(x) AS DOUBLE)",
        "iszero(x) AS x = 0",
        "nanvl(a, b) AS CASE WHEN isnan(a) THEN b ELSE a END",

        // String functions.
        "btrim(s) AS trim(s), (s, c) AS trim(s, c)",
        "initcap(s) AS array_to_string(list_transform(range(1, length(s) + 1), lambda i: CASE WHEN i = 1 OR NOT regexp_matches(substr(s, i - 1, 1), '[[:alnum:]]') " +
        "THEN upper(substr(s, i, 1)) ELSE lower(substr(s, i, 1)) END), '')",
        "regexp_count(s, p) AS length(regexp_extract_all(s, p)), (s, p, start) AS length(regexp_extract_all(substr(s, start), p))",
        "substr_index(s, delimiter, n) AS CASE WHEN n > 0 THEN array_to_string(string_split(s, delimiter)[1:n], delimiter) " +
        "WHEN n < 0 THEN array_to_string(string_split(s, delimiter)[n:], delimiter) ELSE '' END",
        "find_in_set(s, list) AS coalesce(list_position(string_split(list, ','), s), 0)",

        // Array functions.
        "array_remove(list, x) AS CASE WHEN list_position(list, x) IS NULL THEN list ELSE list_concat(list[:list_position(list, x) - 1], list[list_position(list, x) + 1:]) END",
        "array_remove_all(list, x) AS list_filter(list, lambda e: e IS DISTINCT FROM x)",
        "array_replace(list, x, y) AS list_transform(list, lambda e, i: CASE WHEN i = list_position(list, x) THEN y ELSE e END)",
        "array_replace_all(list, x, y) AS list_transform(list, lambda e: CASE WHEN e IS NOT DISTINCT FROM x THEN y ELSE e END)",
        "array_union(a, b) AS list_filter(list_concat(a, b), lambda x, i: list_position(list_concat(a, b), x) = i)",
        "array_intersect(a, b) AS list_filter(a, lambda x, i: list_position(a, x) = i AND list_contains(b, x))",
        "array_except(a, b) AS list_filter(a, lambda x, i: list_position(a, x) = i AND NOT list_contains(b, x))",
        "df_array_distance(a, b) AS list_distance(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))",
        "array_repeat(x, n) AS list_transform(range(n), lambda i: x)",
        "array_positions(list, x) AS list_filter(list_transform(list, lambda e, i: CASE WHEN e IS NOT DISTINCT FROM x THEN i END), lambda p: p IS NOT NULL)",
        "overlay(s, r, f) AS substr(s, 1, f - 1) || r || substr(s, f + length(r)), (s, r, f, n) AS substr(s, 1, f - 1) || r || substr(s, f + n)",

        // Aggregate functions.
        "var(x) AS var_samp(x)",
        "variance_samp(x) AS var_samp(x)",
        "variance_pop(x) AS var_pop(x)",
        "covar(x, y) AS covar_samp(x, y)",
        "df_regr_r2(y, x) AS CASE WHEN regr_sxx(y, x) = 0 THEN NULL WHEN regr_syy(y, x) = 0 THEN 1.0 ELSE regr_sxy(y, x) * regr_sxy(y, x) / (regr_sxx(y, x) * regr_syy(y, x)) END",
        "approx_distinct(x) AS approx_count_distinct(x)",
        "approx_median(x) AS quantile_cont(x, 0.5)",
        "approx_percentile_cont(x, p) AS quantile_cont(x, p), (x, p, centroids) AS quantile_cont(x, p)",
        "approx_percentile_cont_with_weight(x, w, p) AS quantile_cont(x, p)",

        // Time and date functions.
        "to_timestamp_seconds(x) AS " + Timestamp("1000000000"),
        "to_timestamp_millis(x) AS " + Timestamp("1000000"),
        "to_timestamp_micros(x) AS " + Timestamp("1000"),
        "to_timestamp_nanos(x) AS " + Timestamp("1"),
        "from_unixtime(x) AS make_timestamp_ns(CAST(x AS BIGINT) * 1000000000)",
        "to_unixtime(x) AS CAST(floor(epoch_ns(CAST(x AS TIMESTAMP_NS)) / 1000000000) AS BIGINT)",
        "to_date(x) AS CAST(x AS DATE)",
        "to_char(t, format) AS strftime(t, format)",
        "date_format(t, format) AS strftime(t, format)",
    ];
}
