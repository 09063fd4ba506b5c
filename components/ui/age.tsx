/** "45 min", "4 h", "3 d": a compact duration. */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return '<1 min';
  if (minutes < 59.5) return `${Math.round(minutes)} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** "4 h ago", "3 d ago": a compact age for lists, with the exact time in the tooltip. */
export function formatAge(since: Date, now: Date = new Date()): string {
  return formatMinutes(Math.max(0, Math.round((now.getTime() - since.getTime()) / 60_000)));
}

export function Age({ since, suffix = ' ago' }: { since: Date; suffix?: string }) {
  const age = formatAge(since);
  return (
    <time dateTime={since.toISOString()} title={since.toUTCString()}>
      {age === '<1 min' && suffix ? 'just now' : `${age}${suffix}`}
    </time>
  );
}
