// A user's state as the User shape's Enabled says it (Strongroom's
// DisableUser and EnableUser), styled like a key's state.
export function UserState({ enabled }: { enabled: boolean }) {
  const state = enabled ? 'Enabled' : 'Disabled';
  return <span className={`state state-${state}`}>{state}</span>;
}
