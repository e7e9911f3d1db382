// A ceremony's steps, live while it runs (each step's phase from the
// progress events: witnesses confirming, running, done, failed) and
// settled by its result (done, failed with the error, not run).
import { stepState, type StepView } from './ceremony-run.js';

export function CeremonySteps({ steps }: { steps: readonly StepView[] }) {
  if (steps.length === 0) return null;
  return (
    <table aria-label="Ceremony steps" className="ceremony-steps">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Step</th>
          <th scope="col">Type</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s, i) => {
          const state = stepState(s);
          return (
            <tr key={i}>
              <td>{i + 1}</td>
              <td className="mono">{s.Id ?? '—'}</td>
              <td>{s.Type ?? '—'}</td>
              <td>
                <span className={`state step-${s.Status ?? s.Phase ?? 'waiting'}`}>{state}</span>
                {s.Error && (
                  <p className="error">
                    <strong>{s.Error.Name}</strong>: {s.Error.Message}
                    {s.Phase !== undefined && !s.Ran ? ' The step did not run.' : ''}
                  </p>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
