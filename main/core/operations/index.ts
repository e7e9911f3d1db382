// The operation table: every operation the vault offers, declared once.
// Adapters (CLI, IPC, HTTP) look operations up here by their AWS name.
import type { OperationDef } from '../operation.js';
import * as aliases from './aliases.js';
import * as cryptographic from './cryptographic.js';
import * as keys from './keys.js';
import * as rotation from './rotation.js';
import * as tags from './tags.js';

const all: OperationDef[] = [keys, aliases, tags, cryptographic, rotation].flatMap((m) =>
  Object.values(m).filter((v): v is OperationDef => typeof v === 'object' && v !== null && 'handler' in v),
);

export const OPERATIONS: ReadonlyMap<string, OperationDef> = new Map(all.map((op) => [op.name, op]));
