// /v1/agent/*, /v1/status/* and /v1/regions: what an agent says about itself and its cluster.
import type { AgentHealthResponse, AgentMember } from '../../api/types.js';
import { reply, type Route } from '../route.js';

/** What the agent exposes to these routes; the agent implements it. */
export interface AgentInfo {
  /** The agent's configuration in Nomad's agent/self shape. */
  selfConfig(): Record<string, unknown>;
  member(): AgentMember;
  stats(): Record<string, Record<string, string>>;
  health(): AgentHealthResponse;
  leaderAddr(): string;
  peers(): string[];
  regions(): string[];
  region(): string;
  datacenter(): string;
  isServer(): boolean;
}

export function agentRoutes(agent: AgentInfo): Route[] {
  return [
    {
      methods: ['GET'],
      path: '/v1/agent/self',
      handler: async () => reply({ config: agent.selfConfig(), member: agent.member(), stats: agent.stats() }),
    },
    {
      methods: ['GET'],
      path: '/v1/agent/health',
      handler: async () => {
        const h = agent.health();
        const ok = (h.client?.ok ?? true) && (h.server?.ok ?? true);
        return { body: h, status: ok ? 200 : 500 };
      },
    },
    {
      methods: ['GET'],
      path: '/v1/agent/members',
      handler: async () => {
        if (!agent.isServer()) return { body: 'This agent is not a server: members are known to servers only', status: 501, headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
        return reply({ ServerName: agent.member().Name, ServerRegion: agent.region(), ServerDC: agent.datacenter(), Members: [agent.member()] });
      },
    },
    { methods: ['GET'], path: '/v1/status/leader', handler: async () => reply(agent.leaderAddr()) },
    { methods: ['GET'], path: '/v1/status/peers', handler: async () => reply(agent.peers()) },
    { methods: ['GET'], path: '/v1/regions', handler: async () => reply(agent.regions()) },
  ];
}
