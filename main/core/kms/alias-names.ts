// Alias name rules (AWS KMS API Reference, CreateAlias "AliasName"): the
// `alias/` prefix, then letters, digits and `:/_-`, at most 256 characters
// in all; `alias/aws/` is reserved for AWS managed keys.
import { KmsError, shown } from '../errors.js';

const ALIAS_CHARS = /^[a-zA-Z0-9:/_-]+$/;

export function checkAliasName(name: string): string {
  const bad = (why: string) => new KmsError('InvalidAliasNameException', `Alias name '${shown(name)}' is not valid: ${why}`);
  if (!name.startsWith('alias/')) throw bad("it must begin with 'alias/'.");
  if (name.length === 'alias/'.length) throw bad("a name must follow 'alias/'.");
  if (name.length > 256) throw bad(`it is ${name.length} characters long; the limit is 256.`);
  if (!ALIAS_CHARS.test(name)) throw bad('only letters, digits and the characters : / _ - are allowed.');
  if (name.startsWith('alias/aws/')) throw bad("the prefix 'alias/aws/' is reserved for AWS managed keys.");
  return name;
}
