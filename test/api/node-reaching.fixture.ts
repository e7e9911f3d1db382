// A module that imports Node: test/api/bundle.test.ts bundles it to show its check catches that.
import { randomBytes } from 'node:crypto';

export const random = () => randomBytes(8);
