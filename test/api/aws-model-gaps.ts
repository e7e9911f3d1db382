// Where Strongroom's contract knowingly differs from AWS's API models
// (botocore's service-2.json), each with its reason. The conformance test
// (aws-model-conformance.test.ts) checks that this is the whole list, per
// service: a new gap fails it, and so does a line left here after its gap
// was closed.

type Gaps = Record<string, Record<string, string>>;

/** Operations of a service that AWS's model does not have. */
export const OWN_OPERATIONS: Gaps = {
  kms: {
    GetKeyAccessMatrix: 'who may do what on a key, and which statement decided: the desktop app\'s access view',
    ExportPublicKey: 'GetPublicKey in the formats partners use (PEM, JWK, OpenSSH, age)',
  },
  iam: {
    DisableUser: 'IAM has no disabled users (it deletes login profiles and access keys); Strongroom keeps the user and its history',
    EnableUser: 'the way back from DisableUser',
    ListPrincipalPolicies: 'a user\'s or group\'s attached and inline policies in one call, for the desktop app',
  },
};

/** Input members AWS's operation does not take (`Operation.Member`). */
export const OWN_INPUT_MEMBERS: Gaps = {
  kms: {
    'CreateKey.KeyAdministrators': 'the AWS console\'s default key policy, whose administrators the console asks for',
    'CreateKey.KeyUsers': 'the AWS console\'s default key policy, whose key users the console asks for',
  },
};

/** Output members AWS returns that Strongroom does not (`ModelShape.Member`: an operation's output by its model shape, `EncryptResponse`). */
export const ABSENT_OUTPUT_MEMBERS: Gaps = {
  kms: {
    // Nitro Enclaves attestation (the Recipient input member, which Strongroom does not take either):
    // there is no enclave on an offline desk to encrypt a result for.
    'DecryptResponse.CiphertextForRecipient': 'no Nitro Enclaves (Recipient)',
    'DeriveSharedSecretResponse.CiphertextForRecipient': 'no Nitro Enclaves (Recipient)',
    'GenerateDataKeyResponse.CiphertextForRecipient': 'no Nitro Enclaves (Recipient)',
    'GenerateDataKeyPairResponse.CiphertextForRecipient': 'no Nitro Enclaves (Recipient)',
    'GenerateRandomResponse.CiphertextForRecipient': 'no Nitro Enclaves (Recipient)',
    // Key stores: every key lives in the vault file, AWS's "AWS_KMS" key store.
    'KeyMetadata.CustomKeyStoreId': 'no custom key stores',
    'KeyMetadata.CloudHsmClusterId': 'no CloudHSM key stores',
    'KeyMetadata.XksKeyConfiguration': 'no external key stores',
    'KeyMetadata.MultiRegionConfiguration': 'no multi-Region keys (MultiRegion is always false): one vault, no replicas',
    // ListKeyRotations: imported key material does not rotate here (one material per imported key),
    // so no rotation carries a description of its imported material.
    'RotationsListEntry.KeyMaterialDescription': 'imported key material does not rotate (no ImportType/KeyMaterialDescription input)',
  },
  iam: {
    // Lists are never truncated (no MaxItems input; IsTruncated is always false), so there is no Marker.
    'ListUsersResponse.Marker': 'lists are never truncated',
    'ListGroupsResponse.Marker': 'lists are never truncated',
    'GetGroupResponse.Marker': 'lists are never truncated',
    'ListGroupsForUserResponse.Marker': 'lists are never truncated',
    'ListPoliciesResponse.Marker': 'lists are never truncated',
    'User.PermissionsBoundary': 'no permissions boundaries',
    'User.Tags': 'users are not tagged (no TagUser)',
    // ListPolicies lists Strongroom's built-in managed policies (core/policy/managed-policies.ts):
    // they have no versions, ids, paths or dates of their own, and no attachment counts are kept.
    'Policy.PolicyId': 'built-in policies have no ids of their own',
    'Policy.Path': 'built-in policies have no paths',
    'Policy.DefaultVersionId': 'built-in policies have no versions',
    'Policy.AttachmentCount': 'no attachment counts are kept',
    'Policy.PermissionsBoundaryUsageCount': 'no permissions boundaries',
    'Policy.IsAttachable': 'every built-in policy is attachable',
    'Policy.Description': 'built-in policies are described in the README',
    'Policy.CreateDate': 'built-in policies have no dates',
    'Policy.UpdateDate': 'built-in policies have no dates',
    'Policy.Tags': 'policies are not tagged',
  },
};

/** Output members of Strongroom's own, after AWS's (`ModelShape.Member`, or `Operation.Member` where AWS's operation returns nothing). */
export const OWN_OUTPUT_MEMBERS: Gaps = {
  iam: {
    'User.Enabled': 'false once DisableUser has run (Strongroom\'s own)',
  },
};
