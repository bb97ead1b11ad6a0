/** Nobody on file is older than this; an older date of birth is a typing or scanning error. */
export const MAX_AGE_YEARS = 130;

/** `YYYY-MM-DD` of `at`, in UTC: a date of birth has no time zone, so the calendar day is compared. */
function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Why a date of birth cannot be a living patient's, in plain words, or undefined when it can:
 * in the future, or more than {@link MAX_AGE_YEARS} years before `today`. The workflow checks it
 * with its own clock (docs/architecture.md §8 rule 2); the form checks it too, to say so at once.
 * `birthDate` is a real `YYYY-MM-DD` date (the contract's schema checked that).
 */
export function birthDateProblem(birthDate: string, today: Date): string | undefined {
  const day = isoDay(today);
  if (birthDate > day) return `The date of birth ${birthDate} is in the future: check the wristband.`;
  const oldest = `${String(Number(day.slice(0, 4)) - MAX_AGE_YEARS).padStart(4, '0')}${day.slice(4)}`;
  if (birthDate < oldest) return `The date of birth ${birthDate} is more than ${MAX_AGE_YEARS} years ago: check the wristband.`;
  return undefined;
}

/**
 * Age as the banner shows it: whole years, or whole months under two years (an infant's dose and
 * reference ranges go by months). Undefined for a date that is not `YYYY-MM-DD` or is in the future.
 */
export function ageText(birthDate: string, today: Date): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let months = (today.getFullYear() - y) * 12 + (today.getMonth() + 1 - mo);
  if (today.getDate() < d) months -= 1;
  if (months < 0) return undefined;
  if (months < 24) return `${months} mo`;
  return `${Math.floor(months / 12)} y`;
}
