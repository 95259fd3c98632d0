// Ends every `npm test` run with one plain line "N passed, M failed" (", K skipped" when any), which CI reads.
// Written at process exit so it comes after jest's own summary, after the slowest suites (JEST_SLOWEST, default 12;
// 0 for none), which show where the run's time goes.
//
// It also guards the exit: a run must end by itself. Something a test leaves open (a server, a timer, a database
// pool, a child process) keeps jest's process alive after the run — with one worker, as on a 2-core machine, the
// tests run inside this very process — and jest only prints "Jest did not exit one second after the test run has
// completed" and waits forever. If the process is still alive JEST_EXIT_TIMEOUT_S seconds (default 15) after the
// run, the reporter says so and exits with status 1, so the run fails instead of hanging or passing. The timer is
// unref'd: it never keeps a clean run alive. Off in watch mode, where jest stays alive on purpose.
const DEFAULT_EXIT_TIMEOUT_S = 15;

class SummaryReporter {
  constructor(globalConfig) {
    this.watching = Boolean(globalConfig?.watch || globalConfig?.watchAll);
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // A suite that failed to load has no failing test of its own: count it as a failure.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
    let hung = '';
    const slowest = slowestSuites(results.testResults, Number(process.env.JEST_SLOWEST ?? 12));
    process.once('exit', () => process.stderr.write(`\n${slowest}${line}${hung}\n`));
    if (!this.watching) armExitGuard((seconds) => (hung = `, did not exit ${seconds} s after the run`));
  }
}

function slowestSuites(suites, count) {
  if (!(count > 0) || suites.length === 0) return '';
  const timed = suites
    .map((s) => ({ file: s.testFilePath.replace(`${process.cwd()}/`, ''), ms: s.perfStats.end - s.perfStats.start }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
  return `slowest suites:\n${timed.map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.file}`).join('\n')}\n`;
}

function armExitGuard(onHang) {
  const seconds = Number(process.env.JEST_EXIT_TIMEOUT_S ?? DEFAULT_EXIT_TIMEOUT_S);
  if (!(seconds > 0)) return;
  setTimeout(() => {
    onHang(seconds);
    process.stderr.write(
      `\njest did not exit ${seconds} s after the run: a test left something open (server, timer, pool, ` +
        `child process, browser). Find it with \`npm test -- <path> --detectOpenHandles\`.\n`,
    );
    process.exit(1);
  }, seconds * 1000).unref();
}

module.exports = SummaryReporter;
