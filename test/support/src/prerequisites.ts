// Suites that need something outside npm (chromium, a build output) skip with a message on a developer's machine
// where it is missing, but CI must run them: under CI=true a missing prerequisite fails the suite instead.

/**
 * true when nothing is missing. Otherwise: under CI=true throws (the suite fails to load, which the run counts as a
 * failure); elsewhere warns and returns false, for the caller to skip.
 */
export function prerequisitesMet(suite: string, missing: readonly (string | false | undefined)[]): boolean {
  const reasons = missing.filter((m): m is string => typeof m === 'string' && m.length > 0);
  if (reasons.length === 0) return true;
  if (isCi()) throw new Error(`${suite} must run under CI=true, but: ${reasons.join('; ')}`);
  console.warn(`${suite} skipped: ${reasons.join('; ')}`);
  return false;
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env['CI']?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
