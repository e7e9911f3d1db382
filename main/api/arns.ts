// The ARNs of IAM principals, in AWS's shapes with the partition
// `strongroom` (core/codecs/arn.ts has the rest: keys, aliases, parsing).
// Node-free: the desktop app builds the default key policy with them
// (default-key-policy.ts).
export const PARTITION = 'strongroom';
export const userArn = (account: string, user: string) => `arn:${PARTITION}:iam::${account}:user/${user}`;
export const rootArn = (account: string) => `arn:${PARTITION}:iam::${account}:root`;
