// Identity (issue 9): principals bound to users, and failed sign-ins.
//
// Key policies and grants name users by ARN; from now on each such user ARN
// is stored with the unique id (users.user_id) of the user it named when
// the policy or grant was saved, so a user deleted and created again under
// the same name does not inherit the old one's access (core/policy/principal-binding.ts):
//  - keys.policy_principals: a JSON object {user ARN: user id} of the
//    account's user ARNs the policy names in Principal or NotPrincipal;
//  - grants.grantee_id / retiring_id: the ids of GranteePrincipal and
//    RetiringPrincipal.
// Existing rows are bound here to the users that hold those names now. A
// principal whose user is already gone gets a placeholder id, one per ARN,
// that no user can ever have ("AIDA0…": newUserId() draws from base32,
// which has no "0"), so it matches no one and reads as a bare id, as a
// deleted principal does.
//
// sign_in_failures counts consecutive failed sign-ins per tenant and user
// name, with the time until which further attempts are refused unchecked
// (core/service/sign-in.ts). It names user names that may not exist (failures are
// counted alike for unknown names) and tenants that may not exist ("?" and
// the name given), so it has no foreign keys; rows are forgotten a day
// after their last failure.
export const version = 5;
export const name = 'identity';
export const sql = `
ALTER TABLE keys ADD COLUMN policy_principals TEXT NOT NULL DEFAULT '{}';
ALTER TABLE grants ADD COLUMN grantee_id TEXT;
ALTER TABLE grants ADD COLUMN retiring_id TEXT;

-- The principal entries of a key policy are the strings at
-- $.Statement[i].Principal.AWS[j] / $.Statement.Principal.AWS (and NotPrincipal);
-- only user ARNs of the key's own account are bound.
CREATE TEMP TABLE named_principals AS
  SELECT DISTINCT k.account AS account, k.key_id AS key_id, p.value AS arn
    FROM keys k, json_tree(CASE WHEN json_valid(k.policy) THEN k.policy ELSE '{}' END) p
   WHERE p.type = 'text'
     AND (p.fullkey GLOB '$.Statement*.Principal.AWS*' OR p.fullkey GLOB '$.Statement*.NotPrincipal.AWS*')
     AND p.value GLOB ('arn:strongroom:iam::' || k.account || ':user/*');

CREATE TEMP TABLE principal_ids AS
  WITH named(account, arn) AS (
    SELECT account, arn FROM named_principals
    UNION SELECT account, grantee_principal FROM grants
    UNION SELECT account, retiring_principal FROM grants WHERE retiring_principal IS NOT NULL
  )
  SELECT n.account AS account, n.arn AS arn, coalesce(u.user_id, 'AIDA0' || substr(hex(randomblob(8)), 1, 15)) AS user_id
    FROM named n LEFT JOIN users u ON u.account = n.account AND n.arn = 'arn:strongroom:iam::' || u.account || ':user/' || u.user_name;

UPDATE keys SET policy_principals = (
  SELECT json_group_object(b.arn, b.user_id)
    FROM named_principals n JOIN principal_ids b ON b.account = n.account AND b.arn = n.arn
   WHERE n.account = keys.account AND n.key_id = keys.key_id
);
UPDATE grants SET
  grantee_id = (SELECT user_id FROM principal_ids b WHERE b.account = grants.account AND b.arn = grants.grantee_principal),
  retiring_id = (SELECT user_id FROM principal_ids b WHERE b.account = grants.account AND b.arn = grants.retiring_principal);

DROP TABLE named_principals;
DROP TABLE principal_ids;

CREATE TABLE sign_in_failures (
  tenant          TEXT NOT NULL,
  user_name       TEXT NOT NULL,
  failures        INTEGER NOT NULL CHECK (failures >= 1),
  last_failure_at INTEGER NOT NULL,
  locked_until    INTEGER NOT NULL,
  PRIMARY KEY (tenant, user_name)
) STRICT;
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (last_failure_at);
`;
