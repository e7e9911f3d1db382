// The handlers of the contract's `app` operations (main/api/operations/app.ts),
// bound by name: `satisfies AppHandlers` proves each has exactly one, of the
// right type. They run in an AppSession (app-session.ts); the key work goes
// through the vault service as the session's user.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UpdateAppSettings as UpdateAppSettingsSpec } from '../api/operations/app.js';
import type { Caller } from '../core/service/caller.js';
import { internalOperation } from '../core/service/operation.js';
import { ListKeyDetails } from '../core/kms/key-details.js';
import { KmsError, validation } from '../core/errors.js';
import { SCHEMA_VERSION } from '../store/migrations/index.js';
import type { AppHandlers, SessionContext } from './app-handler.js';
import { MAX_EXPORT_BYTES, openExportFile, verifyExportText, writeExport } from './audit-files.js';
import { planFileOperation, runFileOperation } from './file-operations.js';
import { savePublicKey } from './public-key-files.js';
import { custodyOf, describeRecoverySplit, recoverVaultCustody, restoreVaultBackup } from './recover-operations.js';
import { recoveryStatus, splitRecovery } from './recovery-split.js';
import { createBackup } from '../backup/create.js';
import { runCeremonyOperation, verifyCeremonyOperation } from '../ceremony/app-ceremony.js';

const sessionShape = (s: SessionContext, c: Caller) => ({
  AccountId: c.account,
  UserName: c.userName,
  Arn: c.arn,
  Region: c.region,
  MustChangePassphrase: s.vault.service.mustChangePassphrase(c),
});

const vaultStatus = ({ host }: SessionContext) => ({
  Directory: host.dir,
  Exists: host.isOpen || host.exists,
  Open: host.isOpen,
  ...(host.isOpen ? { VaultId: host.vault.vaultId, Custody: host.vault.custody } : {}),
  SchemaVersion: SCHEMA_VERSION,
  ...(host.problem ? { Problem: host.problem } : {}),
});

export const APP_HANDLERS = {
  async SignIn(s, input) {
    const caller = await s.vault.service.signIn({
      ...(input.Tenant !== undefined ? { tenant: input.Tenant } : {}),
      userName: input.UserName,
      passphrase: input.Passphrase,
      region: input.Region ?? 'local-1',
      source: s.source,
    });
    s.setCaller(caller);
    return sessionShape(s, caller);
  },

  async SignOut(s) {
    s.setCaller(undefined);
    return {};
  },

  async GetSession(s) {
    return s.signedIn ? { SignedIn: true, Session: sessionShape(s, s.caller) } : { SignedIn: false };
  },

  async GetVaultStatus(s) {
    return vaultStatus(s);
  },

  async CreateVault(s, input) {
    await s.host.create({
      custody: custodyOf(input),
      adminPassphrase: input.AdminPassphrase,
      ...(input.TenantName !== undefined ? { tenantName: input.TenantName } : {}),
    });
    return vaultStatus(s);
  },

  async UnlockVault(s, input) {
    await s.host.open(input.VaultPassphrase);
    return vaultStatus(s);
  },

  async DescribeRecoverySplit(s, input) {
    return describeRecoverySplit(s.host, s.cwd, input);
  },

  async RecoverVaultCustody(s, input) {
    await recoverVaultCustody(s.host, s.cwd, input, s.source);
    return vaultStatus(s);
  },

  async RestoreBackup(s, input) {
    const restored = await restoreVaultBackup(s.host, s.cwd, input, s.source);
    return { Status: vaultStatus(s), ...restored };
  },

  async EncryptFile(s, input, events) {
    const plan = await planFileOperation('EncryptFile', input, { cwd: s.cwd });
    return runFileOperation(s.vault.service, s.caller, 'EncryptFile', input, plan, events);
  },

  async DecryptFile(s, input, events) {
    const plan = await planFileOperation('DecryptFile', input, { cwd: s.cwd });
    return runFileOperation(s.vault.service, s.caller, 'DecryptFile', input, plan, events);
  },

  async ExportAuditTrail(s, input) {
    const caller = s.caller;
    const path = resolve(s.cwd, input.OutPath);
    const output = await openExportFile(path);
    try {
      return await writeExport(s.vault.service, caller, output, path);
    } finally {
      await output.discard(); // a no-op once committed; otherwise nothing half-written is left
    }
  },

  async VerifyAuditTrail(s, input) {
    const path = resolve(s.cwd, input.InPath);
    let text: string;
    try {
      if ((await stat(path)).size > MAX_EXPORT_BYTES) throw validation(`${path} is larger than any audit export can be.`);
      text = await readFile(path, 'utf8');
    } catch (e) {
      if (e instanceof KmsError) throw e;
      throw validation(`Cannot read ${path}: ${(e as Error).message}.`);
    }
    return verifyExportText(text, input.PublicKey);
  },

  async GetAppSettings(s) {
    return s.settings.current;
  },

  async UpdateAppSettings(s, input) {
    // Through the vault service as the signed-in user, so the change is in the audit trail like any
    // change: the idle lock and the clipboard's clearing are this machine's security settings.
    // No change without its record (DESIGN §6: "or the request is recorded first"): the call only
    // validates the new settings and writes them to a temporary file (a folder that cannot be
    // written fails there, recorded as failed); they replace the settings file only after
    // callInternal has returned, which it does once the call's record is committed (service.ts
    // #record). If the record cannot be written, the temporary file is dropped and nothing changed.
    // The reverse order could leave a change that no record names. This one leaves, at worst, a
    // record of a change whose final rename failed, and then the user is told it failed.
    return s.settings.change(async (stage) => {
      const update = internalOperation({ ...UpdateAppSettingsSpec, handler: (_ctx, changes) => stage(changes) });
      await s.vault.service.callInternal(s.caller, update, input);
    });
  },

  async CopyToClipboard(s, input) {
    if (!s.clipboard) throw validation('There is no clipboard here: CopyToClipboard is for the desktop app.');
    const seconds = s.settings.current.ClipboardClearSeconds;
    await s.clipboard.copy(input.Text, seconds * 1000);
    return { ClearAfterSeconds: seconds };
  },

  async ChooseFiles(s, input) {
    if (!s.chooseFiles) throw validation('There are no file dialogs here: ChooseFiles is for the desktop app; give paths instead.');
    return { Paths: await s.chooseFiles(input) };
  },

  async SwitchRegion(s, input) {
    // the same user, no new sign-in (Service.inRegion); the old caller is signed out by setCaller
    const caller = s.vault.service.inRegion(s.caller, input.Region);
    s.setCaller(caller);
    return sessionShape(s, caller);
  },

  async ListKeyDetails(s, input) {
    // one authorized, audited call per page (core/kms/key-details.ts)
    return (await s.vault.service.callInternal(s.caller, ListKeyDetails, input)) as Awaited<ReturnType<typeof ListKeyDetails.handler>>;
  },

  async SplitRecoveryKey(s, input) {
    return splitRecovery(s.vault.service, s.caller, s.vault.vaultId, input, resolve(s.cwd, input.OutDir));
  },

  async GetRecoveryStatus(s) {
    return recoveryStatus(s.vault.service, s.caller, s.vault.vaultId);
  },

  async CreateBackup(s, input) {
    return createBackup(s.vault, s.caller, { outPath: resolve(s.cwd, input.OutPath), ...(input.ApprovalRequestId !== undefined ? { approvalRequestId: input.ApprovalRequestId } : {}) });
  },

  async SavePublicKey(s, input) {
    return savePublicKey(s.vault.service, s.caller, input, resolve(s.cwd, input.OutPath));
  },

  async RunCeremony(s, input, events) {
    const session = { service: s.vault.service, caller: s.caller, vaultId: s.vault.vaultId, source: s.source, cwd: s.cwd, vault: s.vault };
    return runCeremonyOperation(session, input, events.onCeremonyProgress);
  },

  async VerifyCeremonyTranscript(s, input) {
    return verifyCeremonyOperation(s.cwd, input);
  },
} satisfies AppHandlers;
