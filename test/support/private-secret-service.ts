// A Secret Service of a test's own: test/with-secret-service.sh started once
// more, holding its private D-Bus session and gnome-keyring open until stop().
// For tests that change the keychain's state (locking it): under `npm test`
// every test file shares one Secret Service, so locking that one would break
// the keychain tests running beside them. Only child processes can use it:
// @napi-rs/keyring keeps its first D-Bus connection for the life of the
// process, so this process's keychain calls stay on the shared service.
import { execFile, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'with-secret-service.sh');

export interface PrivateSecretService {
  /** DBUS_SESSION_BUS_ADDRESS of its bus: give it to a child process */
  readonly address: string;
  /** runs a command on its bus; resolves with stdout, rejects on failure */
  run(command: string, args: readonly string[]): Promise<string>;
  /** locks the default ("login") collection, as the desktop's lock does */
  lockDefaultCollection(): Promise<void>;
  /** ends the Secret Service (gnome-keyring) but not the bus: with `activation: false`, nothing starts it again */
  stopDaemon(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateSecretService(opts: { activation?: boolean } = {}): Promise<PrivateSecretService> {
  // The wrapper's command prints the bus address and the daemon's pid, then waits to be stopped.
  const child = spawn('bash', [SCRIPT, 'bash', '-c', 'printf "%s %s\\n" "$DBUS_SESSION_BUS_ADDRESS" "$STRONGROOM_SECRET_SERVICE_PID"; exec sleep 600'], {
    detached: true, // its own process group, so stop() ends the bus and the daemon with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(opts.activation === false ? { STRONGROOM_SS_NO_ACTIVATION: '1' } : {}) },
  });
  const closed = new Promise<void>((done) => child.on('close', () => done()));
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const [address, daemonPid] = await new Promise<[string, number]>((done, fail) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n');
      const [bus, pid] = line[0]!.trim().split(' ');
      if (line.length > 1) done([bus!, Number(pid)]);
    });
    child.on('error', fail);
    child.on('close', (code) => fail(new Error(`with-secret-service.sh exited ${code} before the bus was up:\n${stderr}`)));
  });
  const run = (command: string, args: readonly string[]) =>
    new Promise<string>((done, fail) => {
      execFile(command, args, { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }, timeout: 10_000 }, (err, stdout, errOut) =>
        err ? fail(new Error(`${command} ${args.join(' ')}: ${err.message}\n${errOut}`)) : done(stdout),
      );
    });
  return {
    address,
    run,
    async lockDefaultCollection() {
      const alias = await run('gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.ReadAlias', 'default']);
      const collection = /objectpath '([^']+)'/.exec(alias)?.[1];
      if (!collection || collection === '/') throw new Error(`no default collection: ${alias}`);
      await run('gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.Lock', `['${collection}']`]);
      const locked = await run('gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', collection, '--method', 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Collection', 'Locked']);
      if (!locked.includes('<true>')) throw new Error(`${collection} did not lock: ${locked}`);
    },
    async stopDaemon() {
      process.kill(daemonPid, 'SIGTERM');
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(daemonPid, 0);
        } catch {
          return; // gone
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`gnome-keyring-daemon (pid ${daemonPid}) did not exit`);
    },
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await closed;
    },
  };
}
