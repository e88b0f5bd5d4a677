// The shell: side navigation, the routes (Nomad's UI paths under /ui), and the not-found page.
import type { ReactNode } from 'react';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter';
import { AllocPage } from './pages/alloc';
import { AllocFsPage } from './pages/alloc-fs';
import { ClientPage, ClientsList } from './pages/clients';
import { Evaluations } from './pages/evaluations';
import { Servers } from './pages/servers';
import { Topology } from './pages/topology';
import { ServicePage, ServicesList } from './pages/services';
import { VariableNew, VariablePage, VariablesList } from './pages/variables';
import { JobPage } from './pages/job';
import { JobRun } from './pages/job-run';
import { JobsList } from './pages/jobs-list';

const NAV: { section: string; links: { to: string; label: string; match: string[] }[] }[] = [
  {
    section: 'Workload',
    links: [
      { to: '/jobs', label: 'Jobs', match: ['/jobs', '/allocations'] },
      { to: '/services', label: 'Services', match: ['/services'] },
      { to: '/variables', label: 'Variables', match: ['/variables'] },
    ],
  },
  {
    section: 'Cluster',
    links: [
      { to: '/clients', label: 'Clients', match: ['/clients'] },
      { to: '/servers', label: 'Servers', match: ['/servers'] },
      { to: '/topology', label: 'Topology', match: ['/topology'] },
    ],
  },
  {
    section: 'Operations',
    links: [{ to: '/evaluations', label: 'Evaluations', match: ['/evaluations'] }],
  },
];

function Nav() {
  const [location] = useLocation();
  return (
    <nav className="sidebar" aria-label="Main">
      <Link href="/jobs" className="brand" aria-label="Roam home">
        <span className="brand-mark">R</span>
        <span className="brand-name">Roam</span>
      </Link>
      {NAV.map((s) => (
        <div key={s.section}>
          <div className="nav-section">{s.section}</div>
          <ul>
            {s.links.map((n) => {
              const on = n.match.some((m) => location === m || location.startsWith(`${m}/`));
              return (
                <li key={n.to}>
                  <Link href={n.to} className={on ? 'nav-link active' : 'nav-link'} aria-current={on ? 'page' : undefined}>
                    {n.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function NotFound() {
  const [location] = useLocation();
  return (
    <div className="page">
      <div className="state state-error">
        <h3>Nothing lives at /ui{location}</h3>
        <p>The address may be mistyped, or it points to something this UI does not have.</p>
        <p>
          <Link href="/jobs">Go to the jobs list</Link>
        </p>
      </div>
    </div>
  );
}

function Shell({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <Nav />
      <main className="main">{children}</main>
    </div>
  );
}

export function App() {
  return (
    <Router base="/ui">
      <Shell>
        <Switch>
          <Route path="/">
            <Redirect to="/jobs" replace />
          </Route>
          <Route path="/jobs" component={JobsList} />
          <Route path="/jobs/run" component={JobRun} />
          <Route path="/jobs/:ref/:tab?" component={JobPage} />
          <Route path="/allocations/:id" component={AllocPage} />
          <Route path="/allocations/:id/fs/*?" component={AllocFsPage} />
          <Route path="/allocations/:id/:task/:tab?" component={AllocPage} />
          <Route path="/clients" component={ClientsList} />
          <Route path="/clients/:id" component={ClientPage} />
          <Route path="/servers" component={Servers} />
          <Route path="/topology" component={Topology} />
          <Route path="/services" component={ServicesList} />
          <Route path="/services/:ref" component={ServicePage} />
          <Route path="/variables" component={VariablesList} />
          <Route path="/variables/new" component={VariableNew} />
          <Route path="/variables/var/*" component={VariablePage} />
          <Route path="/evaluations" component={Evaluations} />
          <Route component={NotFound} />
        </Switch>
      </Shell>
    </Router>
  );
}
