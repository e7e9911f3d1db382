// Which condition keys a policy may name. IAM treats context key names as
// case-insensitive ("Context key names are not case-sensitive", IAM JSON
// policy elements: Condition), so everything here is lower-case and policy
// keys are folded before lookup.
//
// A misspelt key in a Deny statement would silently never match (a missing
// key makes a positive operator false), so unknown keys are rejected as
// malformed rather than accepted. The lists hold every AWS KMS condition key
// (KMS Developer Guide "AWS KMS condition keys") and the AWS global keys
// (IAM "AWS global condition context keys"), so AWS example policies parse
// even where Strongroom never supplies the key.

/** kms:EncryptionContext:<context-key>; the context-key part is case-insensitive too (KMS guide, "Case sensitivity of the encryption context condition"). */
export const EC_PREFIX = 'kms:encryptioncontext:';

const KMS_KEYS = [
  'kms:bypasspolicylockoutsafetycheck',
  'kms:calleraccount',
  'kms:customermasterkeyspec',
  'kms:customermasterkeyusage',
  'kms:datakeypairspec',
  'kms:encryptionalgorithm',
  'kms:encryptioncontextkeys',
  'kms:expirationmodel',
  'kms:grantconstrainttype',
  'kms:grantisforawsresource',
  'kms:grantoperations',
  'kms:granteeprincipal',
  'kms:keyagreementalgorithm',
  'kms:keyorigin',
  'kms:keyspec',
  'kms:keyusage',
  'kms:macalgorithm',
  'kms:messagetype',
  'kms:multiregion',
  'kms:multiregionkeytype',
  'kms:primaryregion',
  'kms:reencryptonsamekey',
  'kms:replicaregion',
  'kms:requestalias',
  'kms:resourcealiases',
  'kms:retiringprincipal',
  'kms:rotationperiodindays',
  'kms:schedulekeydeletionpendingwindowindays',
  'kms:signingalgorithm',
  'kms:validto',
  'kms:viaservice',
  'kms:wrappingalgorithm',
  'kms:wrappingkeyspec',
];

const AWS_KEYS = [
  'aws:calledvia',
  'aws:calledviafirst',
  'aws:calledvialast',
  'aws:currenttime',
  'aws:ec2instancesourceprivateipv4',
  'aws:ec2instancesourcevpc',
  'aws:epochtime',
  'aws:federatedprovider',
  'aws:multifactorauthage',
  'aws:multifactorauthpresent',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalisawsservice',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalservicename',
  'aws:principalservicenameslist',
  'aws:principaltype',
  'aws:referer',
  'aws:requestedregion',
  'aws:resourceaccount',
  'aws:resourceorgid',
  'aws:resourceorgpaths',
  'aws:securetransport',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceidentity',
  'aws:sourceip',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourcevpc',
  'aws:sourcevpcarn',
  'aws:sourcevpce',
  'aws:tagkeys',
  'aws:tokenissuetime',
  'aws:useragent',
  'aws:userid',
  'aws:username',
  'aws:viaawsservice',
  'aws:vpcsourceip',
];

const KNOWN = new Set([...KMS_KEYS, ...AWS_KEYS]);

/** Keys whose last component is chosen by the author: `<prefix><name>`. */
const PARAMETERISED = [EC_PREFIX, 'kms:recipientattestation:', 'aws:principaltag/', 'aws:requesttag/', 'aws:resourcetag/'];

/** True if `lowerKey` names a condition key AWS defines for KMS or globally. */
export function isKnownConditionKey(lowerKey: string): boolean {
  if (KNOWN.has(lowerKey)) return true;
  return PARAMETERISED.some((p) => lowerKey.length > p.length && lowerKey.startsWith(p));
}
