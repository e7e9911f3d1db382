// Key ceremonies (#/ceremony; DESIGN §10, docs/ceremonies.md): run a
// ceremony script step by step with its witnesses, as `strongroom ceremony
// run` does (RunCeremonyForm), and verify a transcript offline, as
// `strongroom ceremony verify` does (VerifyTranscriptForm). A run's
// transcript can be handed straight to the verifier.
import { useRef, useState } from 'react';
import { RunCeremonyForm } from './RunCeremonyForm.js';
import { VerifyTranscriptForm } from './VerifyTranscriptForm.js';

export function Ceremony() {
  const [transcriptPath, setTranscriptPath] = useState('');
  const verifier = useRef<HTMLDivElement>(null);
  const verify = (path: string) => {
    setTranscriptPath(path);
    verifier.current?.scrollIntoView({ block: 'start' });
  };
  return (
    <section aria-labelledby="ceremony-title" className="ceremony">
      <header className="page-header">
        <h1 id="ceremony-title">Ceremonies</h1>
      </header>
      <p className="hint">A ceremony script runs its steps with named witnesses confirming them, and leaves a signed transcript anyone can check offline.</p>
      <RunCeremonyForm onVerify={verify} />
      <div ref={verifier}>
        <VerifyTranscriptForm transcriptPath={transcriptPath} onTranscriptPath={setTranscriptPath} />
      </div>
    </section>
  );
}
