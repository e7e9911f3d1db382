// The keys of the caller's account and region with their metadata, a page
// at a time: what the desktop app's key list shows (app operation
// ListKeyDetails, main/api/operations/app.ts). AWS's console builds that
// list from ListKeys and a DescribeKey per key; for 10,000 keys that is
// 10,000 audited calls (~43 s over the desktop bridge, measured) and 10,000
// audit records each time the list is opened. This is an *internal*
// operation (as age-unwrap.ts is), run through Service.callInternal, so it
// gets the same sign-in, validation, audit record and error handling as
// any call: one record per page.
//
// Authorization is what ListKeys and DescribeKey would decide: kms:ListKeys
// on the account (else AccessDeniedException), and KeyMetadata only for a
// key whose kms:DescribeKey the caller is allowed; a key it may list but not
// describe appears with its id and ARN only, as ListKeys shows it.
import { isKeyId, keyArn } from '../codecs/arn.js';
import { ListKeyDetails as Spec } from '../../api/operations/app.js';
import { baseContext } from '../policy/authorize.js';
import { decodeMarker, page } from '../service/paging.js';
import { internalOperation } from '../service/operation.js';
import { keyMetadata } from './key-state.js';
import { currentMaterialId } from './material-id.js';

export const ListKeyDetails = internalOperation({
  ...Spec,
  service: 'kms',
  summary: 'Internal: ListKeys with the metadata DescribeKey would return, for the keys the caller may describe.',
  async handler(ctx, input) {
    await ctx.authorize('kms:ListKeys');
    const limit = input.Limit ?? 100;
    const after = decodeMarker(input.Marker, isKeyId);
    await ctx.runDueWork();
    const rows = await ctx.repo.keys(ctx.scope, after, limit + 1);
    const { items, ...paging } = page(rows, limit, (k) => k.keyId);
    const { caller } = ctx;
    const Keys = [];
    for (const key of items) {
      const decision = await ctx.authorizer.decide(caller.arn, caller.account, caller.userName, 'kms:DescribeKey', key, baseContext(caller, key));
      Keys.push({ KeyId: key.keyId, KeyArn: keyArn(key), ...(decision.effect === 'Allow' ? { KeyMetadata: keyMetadata(key, await currentMaterialId(ctx.repo, key)) } : {}) });
    }
    return { Keys, ...paging };
  },
});
