// Every CLI command, registered in one place.
import type { Command } from '../command.js';
import { agentInfoCommand } from './agent-info.js';
import { statusCommand } from './status.js';
import { versionCommand } from './version.js';

export const allCommands: Command[] = [agentInfoCommand, statusCommand, versionCommand];
