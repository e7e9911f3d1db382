// The workbench (#/workbench): a custodian's bench for trying keys. Text
// encryption and decryption with an encryption context, data keys, signing
// and verification, MACs, and file jobs with progress and cancel. Every
// action is a real operation, authorized and audited like any call.
import { DataKeyPanel } from './DataKeyPanel.js';
import { FilePanel } from './FilePanel.js';
import { MacPanel } from './MacPanel.js';
import { SignPanel } from './SignPanel.js';
import { TextPanel } from './TextPanel.js';

export function Workbench() {
  return (
    <section aria-labelledby="workbench-title" className="workbench">
      <header className="page-header">
        <h1 id="workbench-title">Workbench</h1>
      </header>
      <section aria-labelledby="wb-text">
        <h2 id="wb-text">Text</h2>
        <TextPanel />
      </section>
      <section aria-labelledby="wb-files">
        <h2 id="wb-files">Files</h2>
        <FilePanel />
      </section>
      <section aria-labelledby="wb-keys">
        <h2 id="wb-keys">Data keys, signatures and MACs</h2>
        <div className="panel-grid">
          <DataKeyPanel />
          <SignPanel />
          <MacPanel />
        </div>
      </section>
    </section>
  );
}
