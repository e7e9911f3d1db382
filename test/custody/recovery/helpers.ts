// Shared by the recovery-share tests: expecting a named KmsError, and subsets.
import { expect } from 'vitest';
import { KmsError } from '../../../main/core/errors.js';

/** Runs `f` (sync or async) and returns the KmsError it threw, checking its name. */
export async function failsWith(f: () => unknown, name: KmsError['name']): Promise<KmsError> {
  let thrown: unknown;
  try {
    await f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected ${name}`).toBeInstanceOf(KmsError);
  expect((thrown as KmsError).name, (thrown as KmsError).message).toBe(name);
  return thrown as KmsError;
}

/** Every k-element subset of xs, in order. */
export function subsets<T>(xs: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (xs.length < k) return [];
  const [head, ...rest] = xs;
  return [...subsets(rest, k - 1).map((s) => [head!, ...s]), ...subsets(rest, k)];
}

/** The text with the character at `at` replaced by another of `alphabet`. */
export function changeChar(text: string, at: number, alphabet: string): string {
  const c = text[at]!;
  const other = alphabet[(alphabet.indexOf(c) + 1) % alphabet.length]!;
  return text.slice(0, at) + other + text.slice(at + 1);
}
