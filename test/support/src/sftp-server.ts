// A real SFTP server on loopback (the `ssh2` package's server) that serves one local folder read-only, as
// PayPal's reports.paypal.com serves `/ppreports/outgoing` to the merchant's SFTP user. Password login for one
// user; a fresh ed25519 host key per start (its SHA-256 fingerprint is returned so clients can pin it).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { posix, resolve, sep } from 'node:path';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export interface SftpServer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** base64 SHA-256 of the host key (what `ssh-keygen -lf` prints after "SHA256:"). */
  hostKeySha256: string;
  /** the remote folder the files appear in, e.g. /ppreports/outgoing */
  remoteDir: string;
  /** SFTP sessions opened so far */
  sessions(): number;
  close(): Promise<void>;
}

function attrs(s: Stats) {
  return {
    mode: s.mode,
    uid: 0,
    gid: 0,
    size: s.size,
    atime: Math.floor(s.atimeMs / 1000),
    mtime: Math.floor(s.mtimeMs / 1000),
  };
}

export async function startSftpServer(options: {
  /** local folder served at remoteDir */
  root: string;
  remoteDir?: string;
  username?: string;
  password?: string;
}): Promise<SftpServer> {
  const remoteDir = options.remoteDir ?? '/ppreports/outgoing';
  const username = options.username ?? 'merchant-sftp';
  const password = options.password ?? 'sftp-test-password';
  const root = resolve(options.root);
  const key = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(key.private);
  if (parsed instanceof Error) throw parsed;
  const hostKeySha256 = createHash('sha256')
    .update((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH())
    .digest('base64')
    .replace(/=+$/, '');
  let sessions = 0;

  /** A remote path → local path inside root, or undefined when it is outside remoteDir. */
  const local = (p: string): string | undefined => {
    const abs = posix.resolve(remoteDir, p);
    if (abs !== remoteDir && !abs.startsWith(`${remoteDir}/`))
      return abs === '/' || remoteDir.startsWith(`${abs}/`) ? '' : undefined;
    const l = resolve(root, `.${abs.slice(remoteDir.length)}`);
    return l === root || l.startsWith(root + sep) ? l : undefined;
  };

  const server = new Server({ hostKeys: [key.private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === username && ctx.password === password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => {
          sessions++;
          const sftp = acceptSftp();
          const handles = new Map<number, { fd?: number; dir?: string; listed?: boolean }>();
          let next = 1;
          const handle = (h: Buffer) => (h.length === 4 ? handles.get(h.readUInt32BE(0)) : undefined);
          const newHandle = (v: { fd?: number; dir?: string }) => {
            const id = next++;
            handles.set(id, v);
            const b = Buffer.alloc(4);
            b.writeUInt32BE(id, 0);
            return b;
          };
          sftp.on('REALPATH', (id, p) => {
            const abs = posix.resolve(remoteDir, p);
            sftp.name(id, [{ filename: abs, longname: abs, attrs: {} as never }]);
          });
          const stat = (id: number, p: string) => {
            const l = local(p);
            if (l === undefined) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            if (l === '') return sftp.attrs(id, attrs(statSync(root)));
            try {
              sftp.attrs(id, attrs(statSync(l)));
            } catch {
              sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            }
          };
          sftp.on('STAT', stat);
          sftp.on('LSTAT', stat);
          sftp.on('OPENDIR', (id, p) => {
            const l = local(p);
            if (!l) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            sftp.handle(id, newHandle({ dir: l }));
          });
          sftp.on('READDIR', (id, h) => {
            const d = handle(h);
            if (!d?.dir) return sftp.status(id, STATUS_CODE.FAILURE);
            if (d.listed) return sftp.status(id, STATUS_CODE.EOF);
            d.listed = true;
            const names = readdirSync(d.dir).filter((n) => !n.startsWith('.'));
            sftp.name(
              id,
              names.map((n) => {
                const s = statSync(resolve(d.dir!, n));
                return {
                  filename: n,
                  longname: `${s.isDirectory() ? 'd' : '-'}r--r--r-- 1 0 0 ${s.size} ${n}`,
                  attrs: attrs(s),
                };
              }),
            );
          });
          sftp.on('OPEN', (id, p, flags) => {
            const l = local(p);
            if (!l || flags & (OPEN_MODE.WRITE | OPEN_MODE.CREAT | OPEN_MODE.TRUNC | OPEN_MODE.APPEND))
              return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
            try {
              sftp.handle(id, newHandle({ fd: openSync(l, 'r') }));
            } catch {
              sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            }
          });
          sftp.on('FSTAT', (id, h) => {
            const f = handle(h);
            if (f?.fd === undefined) return sftp.status(id, STATUS_CODE.FAILURE);
            sftp.attrs(id, attrs(statSync(`/proc/self/fd/${f.fd}`)));
          });
          sftp.on('READ', (id, h, offset, length) => {
            const f = handle(h);
            if (f?.fd === undefined) return sftp.status(id, STATUS_CODE.FAILURE);
            const buf = Buffer.alloc(length);
            const n = readSync(f.fd, buf, 0, length, offset);
            if (n === 0) return sftp.status(id, STATUS_CODE.EOF);
            sftp.data(id, buf.subarray(0, n));
          });
          sftp.on('CLOSE', (id, h) => {
            const f = handle(h);
            if (f?.fd !== undefined) closeSync(f.fd);
            if (h.length === 4) handles.delete(h.readUInt32BE(0));
            sftp.status(id, STATUS_CODE.OK);
          });
          for (const op of [
            'WRITE',
            'REMOVE',
            'RMDIR',
            'MKDIR',
            'RENAME',
            'SETSTAT',
            'FSETSTAT',
            'SYMLINK',
            'READLINK',
          ])
            sftp.on(op as 'WRITE', (id: number) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED));
          sftp.on('end', () => {
            for (const f of handles.values()) if (f.fd !== undefined) closeSync(f.fd);
            handles.clear();
          });
        });
      });
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    hostKeySha256,
    remoteDir,
    sessions: () => sessions,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        // ssh2's Server has no closeAllConnections: open clients end when their sockets do.
      }),
  };
}
