/* EVE timestamp formatting: the civil date is derived from the day number by
 * integer arithmetic, so each record costs no gmtime_r, strftime or lock. */
#include "output/eve-time.h"

#include <string.h>

#include "output/json-builder.h"

/* 9999-12-31T23:59:59.999999, the last instant four year digits can show. */
#define EVE_TIME_MAX_US 253402300799999999ULL

struct civil_date {
    unsigned year, month, day;
};

/* Proleptic Gregorian date of a day count since 1970-01-01, counting in
 * 400-year eras that start on March 1st so leap days fall at era ends. */
static struct civil_date civil_from_days(uint64_t days)
{
    uint64_t z = days + 719468;  /* days since 0000-03-01 */
    uint64_t era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    struct civil_date d;
    d.day = doy - (153 * mp + 2) / 5 + 1;
    d.month = mp < 10 ? mp + 3 : mp - 9;
    d.year = (unsigned)(yoe + era * 400) + (d.month <= 2);
    return d;
}

/* Two digits at a time from the JSON builder's table: one division by 100
 * instead of two by 10 per pair, on the three timestamps of every flow
 * record (qa/bench/eve-flow-bench: 345 against 376 ns per record). width
 * is 2, 4 or 6 digits. */
static void put_digits(char *out, unsigned v, int width)
{
    for (int i = width - 2; i >= 0; i -= 2) {
        memcpy(out + i, jb_digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
}

size_t eve_time_format(char *out, uint64_t ts_us)
{
    if (ts_us > EVE_TIME_MAX_US)
        ts_us = EVE_TIME_MAX_US;
    uint64_t secs = ts_us / 1000000;
    unsigned usec = (unsigned)(ts_us % 1000000);
    unsigned sod = (unsigned)(secs % 86400);
    struct civil_date d = civil_from_days(secs / 86400);

    memcpy(out, "0000-00-00T00:00:00.000000+0000", EVE_TIME_LEN);
    put_digits(out, d.year, 4);
    put_digits(out + 5, d.month, 2);
    put_digits(out + 8, d.day, 2);
    put_digits(out + 11, sod / 3600, 2);
    put_digits(out + 14, sod / 60 % 60, 2);
    put_digits(out + 17, sod % 60, 2);
    put_digits(out + 20, usec, 6);
    return EVE_TIME_LEN;
}
