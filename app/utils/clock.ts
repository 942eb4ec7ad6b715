/**
 * Where the app learns what time it is. Calendar decisions (when a follow-up is due, which
 * touches a frequency cap counts, what a record is stamped with) read `now()` from the clock
 * the runtime was given, never `new Date()` on their own: tests pin or move it, and every
 * comparison in one run uses one source of time. Durations (timeouts, latencies) are not
 * calendar time and keep using `performance.now()`.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * When scheduled work should consider itself to run: the job queue starts a job once the
 * database's clock reaches its start time, and this process's clock may be a little behind
 * that (or the job a little early). Evaluating at the later of the two means a follow-up due
 * at T never sees the world as it was before T (a cap touch from T − 24 h still counting).
 */
export function scheduledNow(clock: Clock, dueAt: Date): Date {
  const now = clock.now();
  return now.getTime() >= dueAt.getTime() ? now : new Date(dueAt.getTime());
}
