// Shared fixtures for the policy tests: two tenants, their users and a key.
import { expect } from 'vitest';
import { KmsError } from '../../../main/core/errors.js';
import type { AuthzRequest } from '../../../main/core/policy/evaluate.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:strongroom:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
export const OTHER_KEY_ARN = `arn:strongroom:kms:us-east-1:${OTHER}:key/${KEY_ID}`;
export const user = (name: string, account = ACCOUNT) => `arn:strongroom:iam::${account}:user/${name}`;
export const root = (account = ACCOUNT) => `arn:strongroom:iam::${account}:root`;

export const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export function request(principalArn: string, action: string, extra: Partial<AuthzRequest> = {}): AuthzRequest {
  const account = /::(\d{12}):/.exec(principalArn)?.[1] ?? ACCOUNT;
  return { principalArn, account, action, resourceArn: KEY_ARN, context: {}, ...extra };
}

/** Asserts `fn` throws MalformedPolicyDocumentException whose message starts with / contains `message`. */
export function expectMalformed(fn: () => unknown, message: string | RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(KmsError);
  expect((thrown as KmsError).name).toBe('MalformedPolicyDocumentException');
  if (typeof message === 'string') expect((thrown as KmsError).message).toContain(message);
  else expect((thrown as KmsError).message).toMatch(message);
}
