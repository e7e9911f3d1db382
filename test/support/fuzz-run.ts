// How the fuzz tests run and judge one outcome: a fixed seed (printed with
// every failure, so it reproduces), a bounded number of runs (more through
// STRONGROOM_FUZZ_RUNS), a time bound per input, and the checks every
// outcome must pass: a KmsError named like an AWS exception (never
// KMSInternalException: an internal error on bad input is a crash turned
// generic), no stack trace, no planted secret, no polluted prototype.
import fc from 'fast-check';
import { ERROR_NAMES, KmsError } from '../../main/core/errors.js';
import type { PlantedSecrets } from './secrets.js';

const envInt = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${v}'`);
  return n;
};

const RUNS = envInt('STRONGROOM_FUZZ_RUNS');
/** `npm test` keeps these small (the whole fuzz suite in well under a minute on two cores); STRONGROOM_FUZZ_RUNS=N runs N per operation (and N binary runs). */
export const FUZZ = {
  seed: envInt('STRONGROOM_FUZZ_SEED') ?? 20_261_128,
  /** runs per operation through service.call */
  serviceRuns: RUNS ?? 16,
  /** batches of concurrent calls to random operations through service.call */
  concurrentRuns: RUNS ?? 20,
  /** runs per command through the in-process CLI */
  cliRuns: RUNS ?? 6,
  /** runs in all through the built binary (each spawn signs in with the production Argon2id cost) */
  binaryRuns: RUNS ?? 6,
  /** per input: an answer later than this is a hang */
  boundMs: 20_000,
} as const;

/** vitest's timeout for a test running `runs` inputs (each bounded by FUZZ.boundMs, shrinking included). */
export const testTimeout = (runs: number, perRunMs = 1_000): number => 120_000 + runs * perRunMs;

const MAX_SHOWN = 120;

/** A short, readable rendering of a generated value (the 1 MiB strings and 4 MiB blobs stay out of the report). */
export function describeValue(v: unknown, depth = 0): string {
  if (typeof v === 'string') return v.length > MAX_SHOWN ? `${JSON.stringify(v.slice(0, MAX_SHOWN))}…(${v.length} chars)` : JSON.stringify(v);
  if (v instanceof Uint8Array) {
    const hex = Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, 24)).toString('hex');
    return `${v.constructor.name}(${v.length}${v.byteOffset ? `, byteOffset ${v.byteOffset}` : ''})[${hex}${v.length > 24 ? '…' : ''}]`;
  }
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (Object.is(v, -0)) return '-0';
  if (v === null || typeof v !== 'object') return String(v);
  if (depth > 3) return Array.isArray(v) ? `[…${v.length}]` : '{…}';
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'Invalid' : v.toISOString()})`;
  if (Array.isArray(v)) {
    const max = depth === 0 ? 40 : 5; // a command line is shown whole
    const shown = v.slice(0, max).map((x) => describeValue(x, depth + 1));
    return `[${shown.join(', ')}${v.length > max ? `, …(${v.length})` : ''}]`;
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  const name = proto === null ? 'null-prototype ' : proto !== Object.prototype ? `${(v as object).constructor?.name ?? '?'} ` : '';
  const entries = Object.entries(v).slice(0, 12).map(([k, x]) => `${JSON.stringify(k)}: ${describeValue(x, depth + 1)}`);
  return `${name}{${entries.join(', ')}}`;
}

/**
 * fast-check parameters: the fixed seed, `numRuns`, and a report that says
 * how to reproduce. A failure's shrinking stops after `timeLimitMs` (a hang
 * would otherwise wait out the bound at every step).
 */
export function fuzzParameters<T>(label: string, numRuns: number, timeLimitMs: number): fc.Parameters<T> {
  const report: fc.Plugin<T> = () => ({
    onAllRunsComplete: (details) => {
      if (!details.failed) return;
      const example = details.counterexample === null ? '(none)' : (details.counterexample as unknown[]).map((x) => describeValue(x)).join(', ');
      const e = details.errorInstance;
      // the test's own findings are plain Errors; anything else escaped the code under test: show where from
      const error = e instanceof Error ? (e.constructor === Error ? e.message : (e.stack ?? e.message).split('\n').slice(0, 12).join('\n')) : String(e);
      throw new Error(
        `${label}: property failed after ${details.numRuns} run(s) (${details.numShrinks} shrinks).\n` +
          `Reproduce: STRONGROOM_FUZZ_SEED=${details.seed} (fast-check path ${details.counterexamplePath ?? '?'}; the run order matters, so run the whole file).\n` +
          `Input: ${example}\n` +
          `Problem: ${error}`,
      );
    },
  });
  return { seed: FUZZ.seed, numRuns, plugins: [fc.interruptAfterTimeLimit(timeLimitMs), report] };
}

/** `p`, or a rejection naming `what` if it has not settled within `ms`. */
export async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`${what} did not answer within ${ms} ms (a hang)`)), ms);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

class HangError extends Error {
  override readonly name = 'HangError';
}

/** The longest error message a caller should get: room for two 2,048-character ARNs and the words around them. */
const MAX_MESSAGE = 8192;

const STACK_LINE = /\n\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
export const hasStackTrace = (text: string): boolean => STACK_LINE.test(text);

/** Throws unless `e` is a named AWS error a caller can act on, with a message that leaks nothing. */
export function checkServiceError(e: unknown, secrets: PlantedSecrets): KmsError {
  if (e instanceof HangError) throw e;
  if (!(e instanceof KmsError)) {
    throw new Error(`not a KmsError but ${describeValue(e)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  if (!(ERROR_NAMES as readonly string[]).includes(e.name)) throw new Error(`error name '${e.name}' is not an AWS exception name`);
  if (e.name === 'KMSInternalException') throw new Error(`KMSInternalException (an internal error on bad input): ${e.message}`);
  if (typeof e.message !== 'string' || e.message.trim() === '') throw new Error(`${e.name} without a message`);
  // a message echoes what was wrong, not megabytes of it (it lands on stderr and in the audit record)
  if (e.message.length > MAX_MESSAGE) throw new Error(`${e.name}'s message is ${e.message.length} characters long: ${e.message.slice(0, 200)}…`);
  if (hasStackTrace(e.message)) throw new Error(`${e.name}'s message carries a stack trace: ${e.message}`);
  const leak = secrets.find(e.message);
  if (leak) throw new Error(`${e.name}'s message carries the planted secret '${leak.label}' (as ${describeValue(leak.form)}): ${e.message.slice(0, 300)}`);
  return e;
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** Throws if a member like `__proto__` in an input reached Object.prototype. */
export function checkPrototypeIntact(): void {
  const keys = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  if (keys !== PROTOTYPE_KEYS || ({} as Record<string, unknown>)['polluted'] !== undefined) {
    throw new Error(`Object.prototype was polluted: ${keys}`);
  }
}

/** Outcomes per operation; STRONGROOM_FUZZ_STATS=1 prints them, to see which handlers the inputs reach. */
export class OutcomeStats {
  readonly #counts = new Map<string, Map<string, number>>();

  count(operation: string, outcome: string): void {
    const m = this.#counts.get(operation) ?? new Map<string, number>();
    m.set(outcome, (m.get(outcome) ?? 0) + 1);
    this.#counts.set(operation, m);
  }

  print(title: string): void {
    if (!process.env['STRONGROOM_FUZZ_STATS']) return;
    const lines = [...this.#counts].map(([op, m]) => `  ${op}: ${[...m].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${o} ${n}`).join(', ')}`);
    console.log(`fuzz outcomes through ${title}:\n${lines.join('\n')}`);
  }
}

export interface CliOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether a successful run prints JSON: the default --output, unless it asked for help or the version. */
const printsJson = (argv: readonly string[]): boolean =>
  !argv.some((t) => ['help', '--help', '-h', '--version', 'text', '--output=text'].includes(t));

/** `An error occurred (NotFoundException) when calling the Encrypt operation: …` */
const SERVICE_ERROR = /An error occurred \(([A-Za-z]+)\) when calling the ([A-Za-z]+) operation: \S/;

/**
 * Throws unless a CLI run ended as the README says a run ends: 0, a usage
 * error (252, with the usage text), or a named service error (254, in the
 * AWS CLI's words, never KMSInternalException) — never 255, a stack trace,
 * or a planted secret on stderr (or on stdout, unless the call succeeded).
 */
export function checkCliOutcome(operation: string, argv: readonly string[], r: CliOutcome, secrets: PlantedSecrets): void {
  const shown = `exit ${r.code}; stderr: ${r.stderr.slice(0, 600)}`;
  if (r.code === 254) {
    const m = SERVICE_ERROR.exec(r.stderr);
    if (!m) throw new Error(`exit 254 without "An error occurred (<Name>) when calling the <Op> operation: …"; ${shown}`);
    const [, name, op] = m;
    if (!(ERROR_NAMES as readonly string[]).includes(name!)) throw new Error(`'${name}' is not an AWS exception name; ${shown}`);
    if (name === 'KMSInternalException') throw new Error(`KMSInternalException (an internal error on bad input); ${shown}`);
    if (op !== operation) throw new Error(`the error names the ${op} operation, not ${operation}; ${shown}`);
  } else if (r.code === 252) {
    // a usage error prints the usage; a request failing botocore's client-side checks, the report alone (param-validation.ts)
    const validation = /^\nParameter validation failed:\n(?:Missing required|Unknown|Invalid (?:type|length|value) for) parameter /.test(r.stderr);
    if (!validation && (!r.stderr.includes('usage: strongroom') || !r.stderr.includes('strongroom: error: '))) throw new Error(`exit 252 without the usage text; ${shown}`);
  } else if (r.code !== 0) {
    throw new Error(`exit ${r.code} (only 0, 252 and 254 are expected); ${shown}`);
  } else if (printsJson(argv) && r.stdout.trim() !== '') {
    try {
      JSON.parse(r.stdout);
    } catch {
      throw new Error(`exit 0, but --output json printed something that is not JSON: ${r.stdout.slice(0, 300)}`);
    }
  }
  if (hasStackTrace(r.stderr)) throw new Error(`a stack trace on stderr; ${shown}`);
  const leak = secrets.find(r.stderr) ?? (r.code !== 0 ? secrets.find(r.stdout) : undefined);
  if (leak) throw new Error(`the planted secret '${leak.label}' (as ${describeValue(leak.form)}) is in the output; ${shown}`);
}
