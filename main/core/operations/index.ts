// The operation table: every operation the vault offers, declared once.
// Adapters (CLI, IPC, HTTP) look operations up here by their AWS name.
import type { OperationDef } from '../operation.js';
import * as aliases from './aliases.js';
import * as audit from './audit.js';
import * as cryptographic from './cryptographic.js';
import * as dataKeyPairs from './data-key-pairs.js';
import * as grants from './grants.js';
import * as iam from './iam.js';
import * as keyImport from './import.js';
import * as keyAgreement from './key-agreement.js';
import * as keyPolicies from './key-policies.js';
import * as keys from './keys.js';
import * as mac from './mac.js';
import * as publicKey from './public-key.js';
import * as rotation from './rotation.js';
import * as signing from './signing.js';
import * as sts from './sts.js';
import * as tags from './tags.js';
import * as tenants from './tenants.js';

// asymmetric and HMAC keys, key import (issue 4): signing, mac, keyAgreement, publicKey, dataKeyPairs, keyImport
const all: OperationDef[] = [keys, aliases, tags, cryptographic, rotation, keyPolicies, grants, iam, sts, tenants, audit, signing, mac, keyAgreement, publicKey, dataKeyPairs, keyImport].flatMap((m) =>
  Object.values(m).filter((v): v is OperationDef => typeof v === 'object' && v !== null && 'handler' in v),
);

export const OPERATIONS: ReadonlyMap<string, OperationDef> = new Map(all.map((op) => [op.name, op]));
