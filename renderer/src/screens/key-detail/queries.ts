// The key detail screen's reads, under the query key ['key', keyId, …], so
// one invalidation of ['key', keyId] after a change refreshes every section.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { run } from '../../bridge.js';

export const keyQueryKey = (keyId: string, ...rest: string[]) => ['key', keyId, ...rest];

export function useDescribeKey(keyId: string) {
  return useQuery({ queryKey: keyQueryKey(keyId), queryFn: () => run('DescribeKey', { KeyId: keyId }) });
}

export function useAccessMatrix(keyId: string) {
  return useQuery({ queryKey: keyQueryKey(keyId, 'access'), queryFn: () => run('GetKeyAccessMatrix', { KeyId: keyId }) });
}

/** After a change to the key: its sections, and the keys list, read again. */
export function useKeyChanged(keyId: string): () => Promise<void> {
  const queries = useQueryClient();
  return async () => {
    await Promise.all([queries.invalidateQueries({ queryKey: ['key', keyId] }), queries.invalidateQueries({ queryKey: ['keys'] })]);
  };
}
