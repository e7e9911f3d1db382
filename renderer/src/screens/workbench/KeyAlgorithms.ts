// The algorithms a chosen key offers (DescribeKey's SigningAlgorithms or
// MacAlgorithms), so the workbench never offers one the key refuses.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { run } from '../../bridge.js';

/** How long the key field must rest before the key is looked up: each lookup is an audited call, not one per keystroke. */
const SETTLE_MS = 400;

export function useKeyMetadata(keyId: string) {
  const [id, setId] = useState(keyId.trim());
  useEffect(() => {
    const timer = setTimeout(() => setId(keyId.trim()), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [keyId]);
  // under ['key', id] so a change to the key refreshes it; its own last part, as other screens keep other things of a key there
  return useQuery({ queryKey: ['key', id, 'DescribeKey'], queryFn: () => run('DescribeKey', { KeyId: id }), enabled: id !== '', retry: false });
}
