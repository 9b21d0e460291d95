/**
 * What a subscriber's address must look like, checked the same way at deploy time
 * (stack context) and by `feedwatch subscribe`.
 */
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;

export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

export function isE164(value: string): boolean {
  return E164.test(value);
}
