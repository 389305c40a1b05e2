/* rtc.h — the CMOS real-time clock (MC146818-compatible): wall-clock time
 * read once at boot for file times. */
#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H

#include <stdint.h>

/* Seconds since 1970-01-01 UTC as the RTC reads now (it is assumed to
 * run in UTC, as QEMU's does by default); 0 when it cannot be read. */
uint64_t rtc_read_unix(void);
/* Days since 1970-01-01 of a civil date (pure; tested on the host). */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
