/** A result's age as a person reads it: `25 min`, `3 h 20 min`, `15 days`. */
export function ageText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const days = Math.floor(minutes / (24 * 60));
  return `${days} days`;
}
