/* rtc.c — the CMOS real-time clock: registers read through the index/data
 * ports, BCD and 12-hour formats decoded, converted to Unix time. */
#include "drivers/rtc.h"
#include "kernel/arch/x86.h"

/* CMOS index/data ports and RTC registers (MC146818A data sheet; the
 * century byte is the one ACPI's FADT names by default, 0x32). */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80 /* keep NMIs masked while selecting */
#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32
#define STATUS_A_UIP 0x80 /* update in progress */
#define STATUS_B_24H 0x02 /* 24-hour mode */
#define STATUS_B_BIN 0x04 /* binary, not BCD */
#define HOUR_PM 0x80	  /* 12-hour mode: PM */
#define UIP_SPINS 1000000 /* an update lasts under 2 ms */

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static unsigned bcd(uint8_t v, uint8_t status_b)
{
	return status_b & STATUS_B_BIN ? v : (unsigned)(v >> 4) * 10 + (v & 15);
}

int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil: years start in March. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct rtc_time {
	uint8_t sec, min, hour, day, month, year, century;
};

static void snapshot(struct rtc_time *t)
{
	t->sec = cmos(RTC_SEC);
	t->min = cmos(RTC_MIN);
	t->hour = cmos(RTC_HOUR);
	t->day = cmos(RTC_DAY);
	t->month = cmos(RTC_MONTH);
	t->year = cmos(RTC_YEAR);
	t->century = cmos(RTC_CENTURY);
}

uint64_t rtc_read_unix(void)
{
	struct rtc_time a, b;
	unsigned spins = 0;
	/* read twice outside an update until two reads agree */
	do {
		while ((cmos(RTC_STATUS_A) & STATUS_A_UIP) &&
		       ++spins < UIP_SPINS)
			;
		snapshot(&a);
		snapshot(&b);
	} while ((a.sec != b.sec || a.min != b.min || a.hour != b.hour ||
		  a.day != b.day) &&
		 ++spins < UIP_SPINS);
	uint8_t sb = cmos(RTC_STATUS_B);
	unsigned hour = bcd(a.hour & (uint8_t)~HOUR_PM, sb);
	if (!(sb & STATUS_B_24H) && (a.hour & HOUR_PM))
		hour = (hour % 12) + 12;
	else if (!(sb & STATUS_B_24H) && hour == 12)
		hour = 0;
	unsigned century = bcd(a.century, sb);
	int64_t year = (century >= 19 && century <= 30 ? century : 20) * 100 +
		       bcd(a.year, sb);
	unsigned month = bcd(a.month, sb), day = bcd(a.day, sb);
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return 0;
	int64_t days = rtc_days_from_civil(year, month, day);
	return (uint64_t)(days * 86400 + hour * 3600 + bcd(a.min, sb) * 60 +
			  bcd(a.sec, sb));
}
