// The signed-in app: a navigation bar and the screen the route names.
// Routes are hashes (#/keys, #/keys/<id>, …), one per screen; each screen
// lives in screens/ and reads through the bridge with TanStack Query.
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useSession } from '../session.js';
import { Audit } from '../screens/audit/Audit.js';
import { Settings } from '../screens/settings/Settings.js';
import { Tenants } from '../screens/tenants/Tenants.js';
import { Recovery } from '../screens/recovery/Recovery.js';
import { Ceremony } from '../screens/ceremony/Ceremony.js';
import { ApprovalsArea } from '../screens/approvals/Approvals.js';
import { useAdminNav } from '../screens/users/access.js';
import { UsersArea } from '../screens/users/Users.js';
import { CreateKeyWizard } from '../screens/create-key/CreateKeyWizard.js';
import { Workbench } from '../screens/workbench/Workbench.js';
import { KeyDetail } from '../screens/key-detail/KeyDetail.js';
import { AliasesScreen } from '../screens/aliases/AliasesScreen.js';
import { KeysScreen } from '../screens/keys/KeysScreen.js';
import { Button } from '../ui/controls.js';

/** The screens in the navigation bar, in order; tenant administrators' screens are refused by the service for others. */
const NAV: readonly { path: string; label: string }[] = [
  { path: '/keys', label: 'Keys' },
  { path: '/aliases', label: 'Aliases' },
  { path: '/workbench', label: 'Workbench' },
  { path: '/approvals', label: 'Approvals' },
  // for everyone: running a script is its operator's, each step authorized by the service; any transcript can be verified
  { path: '/ceremony', label: 'Ceremony' },
];

export function Shell() {
  const { session, signOut } = useSession();
  const [location] = useLocation();
  const admin = useAdminNav();
  // the recovery key and backups open every tenant: their screen is for whoever may manage tenants (operator administrators)
  const recovery = admin.some((item) => item.path === '/tenants') ? [{ path: '/recovery', label: 'Recovery and backup' }] : [];
  const nav = [...NAV, ...admin, ...recovery, { path: '/audit', label: 'Audit' }, { path: '/settings', label: 'Settings' }];
  return (
    <div className="shell">
      <nav aria-label="Main">
        <span className="brand">Strongroom</span>
        <ul>
          {nav.map((item) => (
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
          <Route path="/keys/:keyId" component={KeyDetail} />
          <Route path="/keys" component={KeysScreen} />
          <Route path="/aliases" component={AliasesScreen} />
          <Route path="/users" nest component={UsersArea} />
          <Route path="/tenants" component={Tenants} />
          <Route path="/recovery" nest component={Recovery} />
          <Route path="/approvals" nest component={ApprovalsArea} />
          <Route path="/ceremony" component={Ceremony} />
          <Route path="/audit" component={Audit} />
          <Route path="/settings" component={Settings} />
          <Route path="/create-key" component={CreateKeyWizard} />
          <Route path="/workbench" component={Workbench} />
          <Route>
            <Redirect to="/keys" />
          </Route>
        </Switch>
      </main>
    </div>
  );
}
