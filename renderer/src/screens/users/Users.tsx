// Users, groups and policies of the signed-in tenant (tenant
// administrators; the service refuses others). Routes nest under #/users:
// the users (/), one user (/user/<name>), the groups (/groups), one group
// (/group/<name>).
import { Link, Route, Switch, useLocation } from 'wouter';
import { GroupDetail } from './GroupDetail.js';
import { Groups } from './Groups.js';
import { UserDetail } from './UserDetail.js';
import { UserList } from './UserList.js';

export function UsersArea() {
  const [location] = useLocation();
  const onGroups = location.startsWith('/group');
  return (
    <section aria-labelledby="users-title">
      <header className="page-header">
        <h1 id="users-title">Users and groups</h1>
        <nav aria-label="Users and groups" className="tabs">
          <Link href="/" aria-current={!onGroups ? 'page' : undefined}>
            Users
          </Link>
          <Link href="/groups" aria-current={onGroups ? 'page' : undefined}>
            Groups
          </Link>
        </nav>
      </header>
      <Switch>
        <Route path="/user/:name">{(p) => <UserDetail userName={decodeURIComponent(p.name)} />}</Route>
        <Route path="/group/:name">{(p) => <GroupDetail groupName={decodeURIComponent(p.name)} />}</Route>
        <Route path="/groups" component={Groups} />
        <Route component={UserList} />
      </Switch>
    </section>
  );
}
