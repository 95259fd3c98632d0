// `npm run test:pg` must not pass vacuously: fail loudly when the PostgreSQL it should test against is down.
import { connect } from 'node:net';

const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const socket = connect({ host: url.hostname, port: Number(url.port || 5432) });
socket.setTimeout(3000);
socket.once('connect', () => socket.end());
const fail = (why: string) => {
  process.stderr.write(
    `PostgreSQL at ${url.hostname}:${url.port || 5432} is not reachable (${why}); start it or set DATABASE_URL.\n`,
  );
  process.exit(1);
};
socket.once('timeout', () => fail('timeout'));
socket.once('error', (err) => fail(err.message));
