// Principal ARNs (DESIGN §5): users arn:strongroom:iam::<account>:user/<path/><name>
// and the account principal arn:strongroom:iam::<account>:root. IAM user
// names are 1–64 of [A-Za-z0-9+=,.@_-] with an optional path (IAM
// "IAM identifiers", "Friendly names and paths").
import { PARTITION } from '../codecs/arn.js';

const ROOT = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`);
const USER = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):user/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})$`);
const ACCOUNT_ID = /^\d{12}$/;

export type ParsedPrincipal = { readonly kind: 'root'; readonly account: string } | { readonly kind: 'user'; readonly account: string; readonly userName: string };

// evaluate() parses the caller's ARN on every request; a tenant has few
// principals, so a bounded cache saves two RegExp runs per call.
const cache = new Map<string, ParsedPrincipal | null>();
const CACHE_LIMIT = 4096;

export function parsePrincipalArn(arn: string): ParsedPrincipal | undefined {
  const hit = cache.get(arn);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parse(arn);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(arn, parsed ?? null);
  return parsed;
}

function parse(arn: string): ParsedPrincipal | undefined {
  const root = ROOT.exec(arn);
  if (root) return Object.freeze({ kind: 'root', account: root[1]! });
  const user = USER.exec(arn);
  if (user) return Object.freeze({ kind: 'user', account: user[1]!, userName: user[3]! });
  return undefined;
}

export const isAccountId = (s: string): boolean => ACCOUNT_ID.test(s);

// Principal ARNs are compared exactly, as written. AWS IAM keeps user names
// unique regardless of case, but Strongroom's users table keys on the name
// as given (Alice and alice may both exist), so a case-insensitive compare
// would let a statement naming one match the other.
