// The permission matrix: for each KMS action on this key and each user of
// the tenant, allowed or denied, and the statement that decided
// (GetKeyAccessMatrix: the service's own authorizer, not a second copy).
import type { Matrix } from './access.js';

type Decision = Matrix['Principals'][number]['Decisions'][number];

/** The statement that decided: its Sid, or the policy it is in, or why nothing did. */
const decidedBy = (d: Decision) => (d.Sid ? `“${d.Sid}”` : d.PolicyName ? `policy ${d.PolicyName}` : d.Source ? d.Source : d.Reason);

export function AccessMatrix({ matrix }: { matrix: Matrix | undefined }) {
  return (
    <section aria-labelledby="key-matrix" className="panel">
      <h2 id="key-matrix">Who may do what</h2>
      {!matrix ? (
        <p className="hint">You may not read this key’s policy (kms:GetKeyPolicy), so its permissions are not shown.</p>
      ) : (
        <div className="matrix-wrap" tabIndex={0} role="group" aria-labelledby="key-matrix">
          <table className="matrix" aria-label="Permissions by action and user">
            <thead>
              <tr>
                <th scope="col">Action</th>
                {matrix.Principals.map((p) => (
                  <th scope="col" key={p.Principal}>
                    {p.UserName}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.Actions.map((action) => (
                <tr key={action}>
                  <th scope="row" className="mono">
                    {action}
                  </th>
                  {matrix.Principals.map((p) => {
                    const d = p.Decisions.find((x) => x.Action === action);
                    return (
                      <td key={p.Principal} className={d?.Decision}>
                        {d ? (
                          <>
                            {d.Decision === 'Allow' ? 'Allowed' : 'Denied'}
                            <br />
                            <span className="hint">{decidedBy(d)}</span>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
