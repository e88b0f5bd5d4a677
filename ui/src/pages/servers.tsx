// Servers: the members the agent knows, with the leader marked. Members have no blocking query,
// so the list is read again every 5 seconds while the page is open.
import type { AgentMembers } from '../api/types';
import { usePoll } from '../api/load';
import { PageHeader } from '../components/bits';
import { Empty, ErrorView, Loading } from '../components/states';
import { StatusBadge } from '../components/status';
import { DataTable, type Column } from '../components/table';
import type { AgentMember } from '../api/types';

export function Servers() {
  const members = usePoll<AgentMembers>('/v1/agent/members', 5000);
  const leader = usePoll<string>('/v1/status/leader', 5000);
  const cols: Column<AgentMember>[] = [
    { key: 'name', header: 'Name', sort: (m) => m.Name, cell: (m) => <strong>{m.Name}</strong> },
    { key: 'status', header: 'Status', sort: (m) => m.Status, cell: (m) => <StatusBadge status={m.Status} /> },
    { key: 'leader', header: 'Leader', cell: (m) => (leader.data === `${m.Addr}:${m.Port}` || leader.data === `${m.Tags?.['rpc_addr'] ?? ''}:${m.Tags?.['port'] ?? ''}` ? <span className="pill pill-good">leader</span> : '') },
    { key: 'addr', header: 'Address', sort: (m) => m.Addr, cell: (m) => <span className="mono">{`${m.Addr}:${m.Port}`}</span> },
    { key: 'region', header: 'Region', cell: (m) => m.Tags?.['region'] ?? '–' },
    { key: 'dc', header: 'Datacenter', cell: (m) => m.Tags?.['dc'] ?? '–' },
    { key: 'build', header: 'Version', cell: (m) => <span className="mono">{m.Tags?.['build'] ?? '–'}</span> },
  ];
  return (
    <div className="page">
      <PageHeader title="Servers" />
      {members.data === undefined ? (
        members.error ? (
          members.error.status === 501 ? (
            <Empty title="This agent is not a server">Open the UI of a server agent to see the cluster’s servers.</Empty>
          ) : (
            <ErrorView error={members.error} what="servers" />
          )
        ) : (
          <Loading what="servers" />
        )
      ) : (
        <DataTable label="Servers" testId="servers-table" rows={members.data.Members ?? []} columns={cols} rowKey={(m) => m.Name} initialSort={{ key: 'name', desc: false }} empty={<Empty title="No servers" />} />
      )}
    </div>
  );
}
