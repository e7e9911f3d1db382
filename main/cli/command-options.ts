// The options of the commands written by hand (BUILTIN_COMMANDS in
// help-text.ts), for shell completion: the operation commands' options come
// from their schemas (operation-commands.ts), these cannot. This module
// imports nothing, so `strongroom __complete` loads no vault code;
// test/cli/completion.test.ts holds each entry to the options its command's
// help text documents, so the two cannot drift apart.

/** What an option's value is: a path (the shell completes files), free text, or one of a few words. */
export type OptionValue = 'path' | 'text' | readonly string[];

export interface CommandOption {
  readonly option: string;
  /** absent for a flag */
  readonly value?: OptionValue;
  /** may be given more than once (`--in a --in b`) */
  readonly repeatable?: true;
}

export interface HandWrittenCommand {
  readonly options: readonly CommandOption[];
  /** a positional argument: a file (`ceremony run SCRIPT`) or one of a few words (`completion bash`) */
  readonly positional?: 'path' | readonly string[];
}

const path = 'path';
const text = 'text';

/** The settings of a config file's profile (config-file.ts SETTINGS; test/cli/config-profiles.test.ts holds the two equal). */
export const CONFIG_KEYS: readonly string[] = ['vault', 'tenant', 'user', 'region', 'output'];

const FILE_OPTIONS: readonly CommandOption[] = [
  { option: '--key-id', value: text },
  { option: '--in', value: path, repeatable: true },
  { option: '--out', value: path },
  { option: '--out-dir', value: path },
  { option: '--encryption-context', value: text },
];

/** The options that hand a recovery quorum's shares in (share-input.ts). */
const SHARE_OPTIONS: readonly CommandOption[] = [
  { option: '--share', value: path, repeatable: true },
  { option: '--share-words', repeatable: true },
  { option: '--identity', value: path, repeatable: true },
  { option: '--share-passphrase-file', value: text, repeatable: true },
];

export const HAND_WRITTEN_COMMANDS: Readonly<Record<string, HandWrittenCommand>> = {
  init: { options: [{ option: '--passphrase-only' }, { option: '--tenant-name', value: text }] },
  start: { options: [] },
  login: { options: [{ option: '--duration', value: text }] },
  logout: { options: [] },
  'encrypt-file': { options: [...FILE_OPTIONS, { option: '--segment-size', value: text }] },
  'decrypt-file': { options: FILE_OPTIONS },
  'audit export': { options: [{ option: '--out', value: path }] },
  'audit verify': { options: [{ option: '--file', value: path }, { option: '--public-key', value: path }] },
  'ceremony split': {
    options: [
      { option: '--threshold', value: text },
      { option: '--custodian', value: text, repeatable: true },
      { option: '--out-dir', value: path },
      { option: '--scheme', value: ['strongroom', 'ssss'] },
      { option: '--approval-request-id', value: text },
    ],
  },
  'ceremony recover': { options: [...SHARE_OPTIONS, { option: '--passphrase-custody' }] },
  'ceremony run': {
    positional: path,
    options: [
      { option: '--transcript', value: path },
      { option: '--out-dir', value: path },
      { option: '--report', value: path },
      { option: '--witness-passphrase-file', value: text, repeatable: true },
    ],
  },
  'ceremony verify': {
    positional: path,
    options: [
      { option: '--public-key', value: path },
      { option: '--files-dir', value: path },
      { option: '--report', value: path },
    ],
  },
  'backup create': { options: [{ option: '--out', value: path }, { option: '--approval-request-id', value: text }] },
  'backup restore': { options: [{ option: '--in', value: path }, ...SHARE_OPTIONS, { option: '--passphrase-only' }] },
  completion: { options: [], positional: ['bash', 'zsh'] },
  'configure set': { options: [], positional: CONFIG_KEYS },
  'configure get': { options: [], positional: CONFIG_KEYS },
  'configure list': { options: [] },
  'configure list-profiles': { options: [] },
};

/** An option the command line adds to an operation command, beyond its schema's fields (run.ts takes it out first). */
export interface ExtraOption extends CommandOption {
  /** `--out <path>` */
  readonly synopsis: string;
  readonly help: string;
}

export const OPERATION_EXTRA_OPTIONS: Readonly<Record<string, readonly ExtraOption[]>> = {
  'export-public-key': [
    {
      option: '--out',
      value: path,
      synopsis: '--out <path>',
      help:
        'Writes the key to this file instead of printing it (der as binary DER, the other formats as text ending in a newline), ' +
        'through a temporary file beside it that is synced and renamed into place: an existing file is replaced only by a ' +
        'complete key, and a failure leaves nothing behind. Prints KeyId, Format, OutPath, Bytes, Fingerprint and FingerprintType.',
    },
  ],
};
