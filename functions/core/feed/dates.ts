/**
 * Feed dates: RFC 822 (RSS) and ISO 8601 (Atom, Dublin Core). Written out rather than handed to
 * `new Date(text)`, which accepts nearly anything ("hello 1" is 2001) and reads zone-less text in
 * the machine's local time, so the same feed would give different dates on different hosts.
 */

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

const RFC_822 =
  /^(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 822 zone names plus the few others publishers actually write; offsets in minutes. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  bst: 60,
  cet: 60,
  cest: 120,
  eet: 120,
  eest: 180,
};

/** The instant as ISO 8601 UTC, or undefined when the text is not a date we can read unambiguously. */
export function parseFeedDate(text: string): string | undefined {
  const trimmed = text.trim();
  return parseIso(trimmed) ?? parseRfc822(trimmed);
}

function parseIso(text: string): string | undefined {
  const match = ISO_8601.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const milliseconds = Number(fraction.slice(0, 3).padEnd(3, '0'));
  return toIso(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    milliseconds,
    numericZoneMinutes(zone),
  );
}

function parseRfc822(text: string): string | undefined {
  const match = RFC_822.exec(text);
  if (!match) return undefined;
  const [, day, monthName = '', yearText = '', hour, minute, second = '0', zone = 'GMT'] = match;
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return undefined;
  const offset = /^[+-]/.test(zone) ? numericZoneMinutes(zone) : ZONES[zone.toLowerCase()];
  if (offset === undefined) return undefined;
  let year = Number(yearText);
  // RFC 822 allowed two-digit years; RFC 2822 reads 00-49 as 20xx.
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
  return toIso(year, month, Number(day), Number(hour), Number(minute), Number(second), 0, offset);
}

function numericZoneMinutes(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return undefined;
  const [, sign, hours, minutes = '0'] = match;
  const total = Number(hours) * 60 + Number(minutes);
  return sign === '-' ? -total : total;
}

function toIso(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  milliseconds: number,
  offsetMinutes: number | undefined,
): string | undefined {
  if (offsetMinutes === undefined || Math.abs(offsetMinutes) > 14 * 60) return undefined;
  if (year < 1000 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), milliseconds);
  // Date.UTC rolls 31 June over to 1 July; a day that does not exist is not a date.
  if (new Date(local).getUTCDate() !== day) return undefined;
  return new Date(local - offsetMinutes * 60_000).toISOString();
}
