// The key policy as a form: the key administrators and key users are the
// principals of the statements the default key policy names "Allow access
// for Key Administrators" and "Allow use of the key" (+ "Allow attachment of
// persistent resources"), as the AWS console reads them
// (core/policy/key-policies.ts writes them). Changing a role rewrites only
// those statements' principals; everything else in the policy stays as it
// is. A role whose statement is missing cannot be added here (its actions
// are the service's to choose): edit the JSON.

export const ADMINISTRATORS_SID = 'Allow access for Key Administrators';
export const USERS_SIDS = ['Allow use of the key', 'Allow attachment of persistent resources'] as const;

interface Statement {
  Sid?: string;
  Principal?: { AWS?: string | string[] } | string;
  [member: string]: unknown;
}

export interface Roles {
  /** principal ARNs; null when the policy has no such statement */
  administrators: string[] | null;
  users: string[] | null;
}

function statements(policy: string): Statement[] {
  const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  const s = doc.Statement;
  return Array.isArray(s) ? s : s ? [s] : [];
}

function principals(s: Statement | undefined): string[] | null {
  if (!s) return null;
  const aws = typeof s.Principal === 'object' ? s.Principal.AWS : undefined;
  return aws === undefined ? [] : Array.isArray(aws) ? [...aws] : [aws];
}

/** The roles a policy names; throws SyntaxError when it is not JSON. */
export function rolesOf(policy: string): Roles {
  const all = statements(policy);
  return {
    administrators: principals(all.find((s) => s.Sid === ADMINISTRATORS_SID)),
    users: principals(all.find((s) => s.Sid === USERS_SIDS[0])),
  };
}

/** The policy with the roles' statements naming exactly these principals; a role left with nobody loses its statements. */
export function withRoles(policy: string, roles: { administrators: readonly string[]; users: readonly string[] }): string {
  const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  const principal = (arns: readonly string[]) => ({ AWS: arns.length === 1 ? arns[0]! : [...arns] });
  const next: Statement[] = [];
  for (const s of statements(policy)) {
    const arns = s.Sid === ADMINISTRATORS_SID ? roles.administrators : (USERS_SIDS as readonly (string | undefined)[]).includes(s.Sid) ? roles.users : undefined;
    if (arns === undefined) next.push(s);
    else if (arns.length > 0) next.push({ ...s, Principal: principal(arns) });
  }
  return JSON.stringify({ ...doc, Statement: next }, null, 2);
}
