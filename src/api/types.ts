// Response shapes of the agent and status endpoints, as Nomad sends them.

export interface AgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string>;
  Status: string;
  ProtocolMin: number;
  ProtocolMax: number;
  ProtocolCur: number;
  DelegateMin: number;
  DelegateMax: number;
  DelegateCur: number;
}

export interface AgentSelf {
  config: Record<string, unknown>;
  member: AgentMember;
  /** Sections (client, nomad, raft, runtime, serf…) of string key/values, shown by `agent-info`. */
  stats: Record<string, Record<string, string>>;
}

export interface AgentHealthResponse {
  client?: { ok: boolean; message: string };
  server?: { ok: boolean; message: string };
}

export interface ServerMembers {
  ServerName: string;
  ServerRegion: string;
  ServerDC: string;
  Members: AgentMember[];
}
