// A QR code as SVG elements (one path of dark modules, coloured by a CSS
// class), for moving a public key across an air gap by camera. No style
// attribute and no data: URL, so the CSP has nothing to refuse.
import encodeQR from '@paulmillr/qr';
import { useMemo } from 'react';

/** The dark modules as one SVG path, a 1×1 square each; null when the text is too long for any QR code. */
function qrPath(text: string): { size: number; d: string } | null {
  let modules: boolean[][];
  try {
    modules = encodeQR(text, 'raw', { ecc: 'low', border: 2 });
  } catch {
    return null;
  }
  let d = '';
  modules.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
  return { size: modules.length, d };
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const qr = useMemo(() => qrPath(text), [text]);
  if (!qr) return <p className="hint">Too long for a QR code; copy it instead.</p>;
  return (
    <svg className="qr" viewBox={`0 0 ${qr.size} ${qr.size}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect className="qr-light" width={qr.size} height={qr.size} />
      <path className="qr-dark" d={qr.d} />
    </svg>
  );
}
