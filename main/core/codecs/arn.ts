// ARNs and ids in AWS's shapes, with the partition `strongroom`:
//   arn:strongroom:kms:<region>:<account>:key/<uuid>
//   arn:strongroom:kms:<region>:<account>:alias/<name>
//   arn:strongroom:iam::<account>:user/<name>, …:root
// KeyId arguments accept a key id, key ARN, alias name or alias ARN
// (AWS KMS API Reference, "KeyId" request parameter).
import { notFound, shown } from '../errors.js';
import { PARTITION, rootArn, userArn } from '../../api/arns.js';

// the principals' ARNs are in the contract too (the app builds key policies with them)
export { PARTITION, rootArn, userArn };

export interface Scope {
  /** 12-digit account id of the tenant */
  readonly account: string;
  readonly region: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isKeyId = (s: string): boolean => UUID.test(s);

/** The ARN of a key: of a key record, or of a key id in a scope. */
export const keyArn = (k: Scope & { readonly keyId: string }) => keyArnIn(k, k.keyId);
export const keyArnIn = (s: Scope, keyId: string) => `arn:${PARTITION}:kms:${s.region}:${s.account}:key/${keyId}`;
export const aliasArn = (s: Scope, aliasName: string) => `arn:${PARTITION}:kms:${s.region}:${s.account}:${aliasName}`;

type KeyRef = { kind: 'key'; keyId: string } | { kind: 'alias'; aliasName: string };

/**
 * Parses a KeyId argument. An ARN for another account or region names a key
 * the caller cannot see, which AWS reports as NotFoundException.
 */
export function parseKeyRef(scope: Scope, input: string, allowAlias = true): KeyRef {
  let rest = input;
  if (input.startsWith('arn:')) {
    const parts = input.split(':');
    if (parts.length < 6 || parts[1] !== PARTITION || parts[2] !== 'kms') throw notFound(`Invalid ARN: ${shown(input)}`);
    if (parts[3] !== scope.region || parts[4] !== scope.account) {
      throw notFound(`Key '${shown(input)}' does not exist in account ${scope.account}, region ${scope.region}.`);
    }
    rest = parts.slice(5).join(':');
    if (rest.startsWith('key/')) {
      const id = rest.slice(4);
      if (!isKeyId(id)) throw notFound(`Invalid key ARN: ${shown(input)}`);
      return { kind: 'key', keyId: id };
    }
    if (!rest.startsWith('alias/')) throw notFound(`Invalid ARN: ${shown(input)}`);
  }
  if (rest.startsWith('alias/')) {
    if (!allowAlias) throw notFound(`An alias is not accepted here; pass a key id or key ARN, not '${shown(input)}'.`);
    return { kind: 'alias', aliasName: rest };
  }
  if (isKeyId(rest)) return { kind: 'key', keyId: rest };
  throw notFound(`Invalid keyId '${shown(input)}': expected a key id, key ARN, alias name (alias/…) or alias ARN.`);
}
