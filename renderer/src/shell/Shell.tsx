// The signed-in app: a navigation bar and the screen the route names.
// Routes are hashes (#/keys, #/keys/<id>, …), one per screen; each screen
// lives in screens/ and reads through the bridge with TanStack Query.
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useSession } from '../session.js';
import { AliasesScreen } from '../screens/aliases/AliasesScreen.js';
import { KeysScreen } from '../screens/keys/KeysScreen.js';
import { Button } from '../ui/controls.js';

/** The screens in the navigation bar, in order; tenant administrators' screens are refused by the service for others. */
const NAV: readonly { path: string; label: string }[] = [
  { path: '/keys', label: 'Keys' },
  { path: '/aliases', label: 'Aliases' },
];

export function Shell() {
  const { session, signOut } = useSession();
  const [location] = useLocation();
  return (
    <div className="shell">
      <nav aria-label="Main">
        <span className="brand">Strongroom</span>
        <ul>
          {NAV.map((item) => (
            <li key={item.path}>
              <Link href={item.path} aria-current={location.startsWith(item.path) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
        <span className="who">
          {session.UserName} · {session.AccountId} · {session.Region}
        </span>
        <Button onClick={signOut}>Sign out</Button>
      </nav>
      <main>
        <Switch>
          <Route path="/keys" component={KeysScreen} />
          <Route path="/aliases" component={AliasesScreen} />
          <Route>
            <Redirect to="/keys" />
          </Route>
        </Switch>
      </main>
    </div>
  );
}
