// `npm start`: the product on its embedded default. With no DATAVERSE_URL in the environment it starts the
// local sandbox (@ppc/stack: PayPal and Dataverse emulators, the proxy on its embedded PostgreSQL, the PCF form
// harness), makes one demo purchase through the whole chain and prints where to look. With DATAVERSE_URL
// set, it runs the proxy alone against the configured services, logging JSON as in production.
if (process.env.DATAVERSE_URL) {
  await import('@ppc/proxy-service/main');
} else {
  const { sandboxBanner, sandboxSettings, startSandbox } = await import('@ppc/stack');
  // The proxy's log lines come out readable here (pino-pretty); production keeps pino's JSON lines.
  const sandbox = await startSandbox({ settings: sandboxSettings(), log: (line) => console.log(line) });
  console.log(sandboxBanner(sandbox));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox…`);
    try {
      await sandbox.close();
      process.exitCode = 0;
    } catch (err) {
      console.error('the sandbox did not stop cleanly:', err);
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
