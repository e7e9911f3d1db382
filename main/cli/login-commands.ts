// `strongroom login [--duration D]` and `strongroom logout` (issue 14, "Sign
// in once"), as `aws sso login` and `aws sso logout`.
//
// login checks the user's passphrase once (the ordinary sign-in: Argon2id,
// failures recorded and slowed) and keeps a session for this vault, tenant
// and user in the OS keychain (custody/session-keychain.ts), for an hour or
// --duration (15 minutes to 12 hours). Later commands use it instead of a
// passphrase (session.ts), with no Argon2id, until it expires, the user is
// disabled or deleted, or the passphrase changes (core/service/sessions.ts);
// a new login replaces the session kept. logout removes it; with none kept,
// it does nothing and succeeds, as `aws sso logout` does. Both are recorded
// in the tenant's audit trail, and so is every call made in a session, with
// its id.
//
// A vault without a keychain (its master key under a vault passphrase) has
// nowhere safe to keep a session: login says so before asking for anything,
// and its commands keep asking for the passphrases they need.
import { isKmsError, KmsError } from '../core/errors.js';
import { checkSessionDuration, DEFAULT_SESSION_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from '../core/service/session-duration.js';
import type { CommandHost } from './cli-io.js';
import type { LoginCommand } from './command-groups.js';
import { userPassphrase } from './credentials.js';
import { applyQuery, formatOutput, toJson } from './format-output.js';
import { EXIT, UsageError } from './usage-error.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';


/** The operation names errors are reported under: "when calling the Login operation". */
const OPERATION: Record<LoginCommand, string> = { login: 'Login', logout: 'Logout' };

const NO_KEYCHAIN =
  "This vault keeps its master key under a vault passphrase, not in an OS keychain, so there is no keychain to keep a login session in, and `strongroom login` is not offered: each command asks for the passphrases it needs (STRONGROOM_VAULT_PASSPHRASE and STRONGROOM_PASSPHRASE, or the terminal).";

export const LOGIN_HELP: Record<LoginCommand, string> = {
  login: [
    'usage: strongroom [global options] login [--duration <value>]',
    '',
    'Checks the passphrase of --user in --tenant once (STRONGROOM_PASSPHRASE, or asked on the terminal) and keeps',
    'a session for this vault, tenant and user in the OS keychain, like `aws sso login`. Until it ends, commands',
    'run as that user need no passphrase (only operations that take the current passphrase, such as',
    'change-password, still ask for it). It ends when it expires, at `strongroom logout`, when the user is',
    'disabled or deleted, or when the passphrase changes; a new login replaces it. When STRONGROOM_PASSPHRASE is',
    'set, commands use it and leave the session unused (explicit credentials win, as in the AWS CLI).',
    'Logins, logouts and the calls of a session (with its SessionId as userIdentity.accessKeyId) are in the',
    "tenant's audit trail. Not offered for a vault whose master key is under a vault passphrase (no keychain).",
    '',
    'OPTIONS',
    `  --duration (string) [optional] How long the session lasts: seconds (3600), or hours and minutes`,
    `      (1h, 30m, 1h30m). From ${MIN_SESSION_SECONDS} seconds (15m) to ${MAX_SESSION_SECONDS} (12h); default ${DEFAULT_SESSION_SECONDS} (1h).`,
    '',
    'OUTPUT',
    '  SessionId (string) the session, as the audit trail names it',
    '  Arn (string) the user signed in',
    '  Expiration (timestamp) when the session ends',
    '',
  ].join('\n'),
  logout: [
    'usage: strongroom [global options] logout',
    '',
    'Ends the login session kept for this vault, --tenant and --user: removes it from the OS keychain and',
    "records the logout in the tenant's audit trail, like `aws sso logout`. With no session kept, does nothing",
    'and succeeds. Prints nothing.',
    '',
  ].join('\n'),
};

/** `--duration`: whole seconds ("3600"), or hours, minutes and seconds ("1h", "30m", "1h30m", "90s"); the bounds are checked apart (checkSessionDuration). */
export function parseDuration(value: string): number {
  const m = /^(?:(\d{1,9})|(?=\d)(?:(\d{1,3})h)?(?:(\d{1,5})m)?(?:(\d{1,6})s)?)$/.exec(value);
  if (!m) throw new UsageError(`argument --duration: expected seconds (3600) or hours and minutes (1h, 30m, 1h30m), got '${value}'`, 'login');
  const [, seconds, h, min, s] = m;
  if (seconds !== undefined) return Number(seconds);
  return Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
}

function parseArgs(command: LoginCommand, tokens: readonly string[]): { help: boolean; duration?: string } {
  let duration: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t === 'help' || t === '--help' || t === '-h') return { help: true };
    if (command === 'login' && t.startsWith('--duration=')) duration = t.slice('--duration='.length);
    else if (command === 'login' && t === '--duration') {
      const v = tokens[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError('argument --duration: expected one argument', command);
      duration = v;
    } else throw new UsageError(`Unknown options: ${t}`, command);
  }
  return duration !== undefined ? { help: false, duration } : { help: false };
}

export async function runLoginCommand(command: LoginCommand, tokens: readonly string[], host: CommandHost): Promise<number> {
  const { io } = host;
  let seconds = DEFAULT_SESSION_SECONDS;
  try {
    const args = parseArgs(command, tokens);
    if (args.help) {
      io.stdout(LOGIN_HELP[command]);
      return EXIT.ok;
    }
    if (args.duration !== undefined) seconds = parseDuration(args.duration);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`\n${LOGIN_HELP[command]}\nstrongroom: error: ${e.message}\n`);
    return EXIT.usage;
  }
  const api = io.vault ?? (await loadVaultApi());
  let vault: OpenedVault | undefined;
  try {
    if (command === 'login') checkSessionDuration(seconds); // before anything is asked
    // A vault that needs its vault passphrase to open has no keychain: refused before anyone types one.
    const noKeychain = new KmsError('UnsupportedOperationException', NO_KEYCHAIN);
    try {
      vault = await api.openVault(host.vaultDir(api), {
        vaultPassphrase: () => Promise.reject(noKeychain),
        log: host.log,
        ...(host.globals.lockTimeoutMs !== undefined ? { busyTimeoutMs: host.globals.lockTimeoutMs } : {}),
      });
    } catch (e) {
      if (e === noKeychain && command === 'logout') return EXIT.ok; // no keychain, so no session to end
      throw e;
    }
    if (!vault.sessionTokens) {
      if (command === 'logout') return EXIT.ok;
      throw noKeychain;
    }
    return command === 'login' ? await login(host, vault, seconds) : await logout(host, vault);
  } catch (e) {
    if (isKmsError(e)) return host.serviceError(e, OPERATION[command]);
    throw e;
  } finally {
    await vault?.close().catch((e) => host.log('closing the vault failed', e));
  }
}

async function login(host: CommandHost, vault: OpenedVault, seconds: number): Promise<number> {
  const { globals, io } = host;
  const passphrase = await userPassphrase(io.env, host.prompt, globals.user);
  const started = await vault.service.startSession(
    { ...(globals.tenant !== undefined ? { tenant: globals.tenant } : {}), userName: globals.user, passphrase, region: globals.region, source: 'cli' },
    seconds,
  );
  await vault.sessionTokens!.write(started.caller.account, globals.user, started.token);
  const out = { SessionId: started.sessionId, Arn: started.caller.arn, Expiration: new Date(started.expiresAt) };
  io.stdout(formatOutput(applyQuery(toJson(out), globals.query), globals.output, { title: OPERATION.login }));
  return EXIT.ok;
}

async function logout(host: CommandHost, vault: OpenedVault): Promise<number> {
  const { globals } = host;
  const store = vault.sessionTokens!;
  const account = await vault.service.accountOf(globals.tenant);
  if (account === undefined) return EXIT.ok;
  const token = await store.read(account, globals.user);
  if (token === undefined) return EXIT.ok;
  // Removed first: a logout whose record cannot be written still ends the session (and says the record failed).
  await store.remove(account, globals.user);
  await vault.service.endSession(token, globals.region, 'cli');
  return EXIT.ok;
}
