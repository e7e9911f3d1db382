// A fingerprint laid out for reading aloud over a phone or across a room:
// groups of four characters, after its type prefix ("SHA256:" as ssh-keygen
// prints it), so two people can compare it group by group.
export function groupsForReading(fingerprint: string): string {
  const colon = fingerprint.indexOf(':');
  const prefix = colon >= 0 ? fingerprint.slice(0, colon + 1) : '';
  const body = fingerprint.slice(prefix.length);
  const groups = body.match(/.{1,4}/g) ?? [];
  return `${prefix}${prefix ? ' ' : ''}${groups.join(' ')}`;
}
