// A string the compiler cannot place (read from a table typed `string`, such
// as core/kms/key-specs.ts's algorithm lists, or from a tool's output) as a
// member of one of the contract's enumerations (main/api/enums.ts): checked
// at run time, so a typed call gets the enum type without a cast.

/** `value` if it is one of `values`; otherwise an error naming both. */
export function oneOf<const T extends string>(values: readonly T[], value: string | undefined): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`${String(value)} is not one of ${values.join(', ')}`);
  return found;
}
