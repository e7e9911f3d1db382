// A process that dies the way a crash would leave a call: it runs one call
// against a vault with an audit trail whose append never returns, prints
// "appending <EventName>" when the call's record is about to be written
// (its change, if any, has committed by then), and waits to be killed.
//
//   node dist/test/processes/die-after-commit.js DIR OPERATION INPUT_JSON
import { writeSync } from 'node:fs';
import type { AuditTrail } from '../../main/core/service/ports.js';
import { openVault } from '../../main/vault/vault.js';
import { UNRECORDED } from '../support/trails.js';
import { ADMIN_PASSPHRASE, TEST_ARGON2, VAULT_PASSPHRASE } from '../support/vault.js';

const [dir, operation, inputJson] = process.argv.slice(2);
if (!dir || !operation) throw new Error('usage: die-after-commit DIR OPERATION [INPUT_JSON]');

const hanging: AuditTrail = {
  ...UNRECORDED,
  append: (_account, event) => {
    writeSync(1, `appending ${event.eventName}\n`);
    return new Promise(() => {});
  },
};

const vault = await openVault(dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service: { argon2: TEST_ARGON2, audit: () => hanging } });
const admin = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' });
await vault.service.dispatch(admin, operation, JSON.parse(inputJson ?? '{}'));
