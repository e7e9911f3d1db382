// The key policy's JSON in CodeMirror 6: a parse linter, history, line
// numbers, and no Tab capture (Tab leaves the editor, for keyboard users).
//
// The CSP (style-src 'self') and CodeMirror's styles: CodeMirror mounts its
// theme through style-mod, which writes a <style> element into a Document
// (the CSP refuses it: "Applying inline style violates…", and the editor
// is then unstyled) but uses a constructable style sheet
// (adoptedStyleSheets, which the CSP does not govern) in a ShadowRoot. So
// the editor lives in a shadow root of its host element; its look is set
// with EditorView.theme, which reaches inside, not with styles.css, which
// does not. (EditorView.cspNonce would need a per-load nonce in the CSP.)
// Syntax colours are left out: defaultHighlightStyle's colours fail axe's
// contrast check on white.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';

export interface PolicyEditorProps {
  /** the document the editor starts with; a new value starts it again */
  initial: string;
  label: string;
  onChange(text: string): void;
}

const look = EditorView.theme({
  // no height limit: the editor grows with the policy and the page scrolls (axe: a scrolling .cm-scroller is not focusable itself)
  '&': { fontSize: '0.9rem', border: '1px solid #8a939e', borderRadius: '4px', background: '#fff' },
  '&.cm-focused': { outline: '2px solid #1f6feb', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, monospace' },
  '.cm-gutters': { background: '#f6f7f9', color: '#545d68', borderRight: '1px solid #d8dde3' },
});

export function PolicyEditor({ initial, label, onChange }: PolicyEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    const element = host.current!;
    // attachShadow works once per element; StrictMode runs this effect twice
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const view = new EditorView({
      parent: root,
      root,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          json(),
          linter(jsonParseLinter()),
          lintGutter(),
          EditorView.lineWrapping,
          look,
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          EditorView.updateListener.of((u) => u.docChanged && changed.current(u.state.doc.toString())),
        ],
      }),
    });
    return () => view.destroy();
  }, [initial, label]);
  return <div ref={host} className="policy-editor" />;
}
