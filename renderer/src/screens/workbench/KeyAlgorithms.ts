// The algorithms a chosen key offers (DescribeKey's SigningAlgorithms or
// MacAlgorithms), so the workbench never offers one the key refuses.
import { useQuery } from '@tanstack/react-query';
import { run } from '../../bridge.js';

export function useKeyMetadata(keyId: string) {
  const id = keyId.trim();
  return useQuery({ queryKey: ['key', id], queryFn: () => run('DescribeKey', { KeyId: id }), enabled: id !== '', retry: false });
}
