// Is the Linux Secret Service's default collection locked? @napi-rs/keyring
// cannot say: against gnome-keyring, reading an entry of a locked collection
// returns "no entry" (it asks for an unlock prompt, and takes the prompt's
// dismissal as absence), exactly as a missing entry does. A vault whose
// master key is merely locked away must not be told its key is gone and sent
// to a backup, so before concluding "missing" keychain.ts asks here.
//
// The question is the Secret Service API's own (freedesktop.org Secret
// Service API 0.2): ReadAlias("default") names the default collection, where
// @napi-rs/keyring (keyring-rs) creates its entries, and that collection's
// boolean `Locked` property says whether its items can be read. Asked with
// gdbus (GLib) or dbus-send (libdbus), whichever is installed: one of the two
// is on any desktop that runs a Secret Service. They talk to the same bus as
// the keychain library, the one DBUS_SESSION_BUS_ADDRESS names.
import { execFile } from 'node:child_process';

const SERVICE = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';
/** Bounds each call: the daemon answers property reads at once, and a hung bus must not hang a vault open. */
const TIMEOUT_MS = 5_000;

interface Tool {
  command: string;
  readAlias: string[];
  locked: (collection: string) => string[];
  /** the object path in a ReadAlias reply */
  path: RegExp;
  /** true/false in a Properties.Get reply */
  bool: RegExp;
}

const TOOLS: readonly Tool[] = [
  {
    // (objectpath '/org/freedesktop/secrets/collection/login',)   and   (<true>,)
    command: 'gdbus',
    readAlias: ['call', '--session', '--dest', SERVICE, '--object-path', SERVICE_PATH, '--method', 'org.freedesktop.Secret.Service.ReadAlias', 'default'],
    locked: (c) => ['call', '--session', '--dest', SERVICE, '--object-path', c, '--method', 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Collection', 'Locked'],
    path: /objectpath '([^']*)'/,
    bool: /<(true|false)>/,
  },
  {
    //    object path "/org/freedesktop/secrets/collection/login"   and   variant       boolean true
    command: 'dbus-send',
    readAlias: ['--session', '--print-reply', `--dest=${SERVICE}`, SERVICE_PATH, 'org.freedesktop.Secret.Service.ReadAlias', 'string:default'],
    locked: (c) => ['--session', '--print-reply', `--dest=${SERVICE}`, c, 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Collection', 'string:Locked'],
    path: /object path "([^"]*)"/,
    bool: /boolean (true|false)/,
  },
];

function run(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: TIMEOUT_MS, encoding: 'utf8' }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

async function ask(tool: Tool): Promise<boolean | undefined> {
  const alias = await run(tool.command, tool.readAlias);
  const collection = alias === undefined ? undefined : tool.path.exec(alias)?.[1];
  if (collection === undefined) return undefined;
  if (collection === '/') return false; // no default collection: nothing there to be locked (the entry is missing)
  const reply = await run(tool.command, tool.locked(collection));
  const value = reply === undefined ? undefined : tool.bool.exec(reply)?.[1];
  return value === undefined ? undefined : value === 'true';
}

/**
 * Whether the default collection is locked: true or false as the Secret
 * Service says, undefined when it cannot be asked (neither tool installed,
 * or no answer). Never throws.
 */
export async function defaultCollectionLocked(): Promise<boolean | undefined> {
  for (const tool of TOOLS) {
    const answer = await ask(tool);
    if (answer !== undefined) return answer;
  }
  return undefined;
}
