// Every CLI command, registered in one place.
import type { Command } from '../command.js';
import { agentInfoCommand } from './agent-info.js';
import { jobRunCommand, runAliasCommand } from './job-run.js';
import { jobStopCommand, stopAliasCommand } from './job-stop.js';
import { statusCommand } from './status.js';
import { versionCommand } from './version.js';
import { jobInitCommand } from './job-init.js';
import { jobValidateCommand, validateAliasCommand } from './job-validate.js';
import { allocStatusCommand } from './alloc-status.js';
import { allocStopCommand } from './alloc-stop.js';
import { evalListCommand } from './eval-list.js';
import { evalStatusCommand } from './eval-status.js';
import { jobAllocsCommand } from './job-allocs.js';
import { jobEvalCommand } from './job-eval.js';
import { jobHistoryCommand } from './job-history.js';
import { jobInspectCommand } from './job-inspect.js';
import { jobRevertCommand } from './job-revert.js';
import { jobStatusCommand } from './job-status.js';
import { nodeEligibilityCommand } from './node-eligibility.js';
import { nodeStatusCommand } from './node-status.js';
import { operatorApiCommand } from './operator-api.js';
import { serverMembersCommand } from './server-members.js';
import { systemGCCommand } from './system-gc.js';
import { jobPlanCommand, planAliasCommand } from './job-plan.js';
import { fmtCommand } from './fmt.js';
import { jobDispatchCommand } from './job-dispatch.js';
import { jobPeriodicForceCommand } from './job-periodic-force.js';

export const allCommands: Command[] = [agentInfoCommand, statusCommand, versionCommand, jobRunCommand, runAliasCommand, jobStopCommand, stopAliasCommand, jobValidateCommand, validateAliasCommand, jobInitCommand];

// Read-side and operator commands.
allCommands.push(jobStatusCommand, jobAllocsCommand, jobHistoryCommand, jobInspectCommand, jobEvalCommand, jobRevertCommand, evalListCommand, evalStatusCommand, nodeStatusCommand, nodeEligibilityCommand, allocStatusCommand, allocStopCommand, serverMembersCommand, systemGCCommand, operatorApiCommand);

// Planning.
allCommands.push(jobPlanCommand, planAliasCommand);

// Formatting.
allCommands.push(fmtCommand);

// Periodic and parameterized jobs.
allCommands.push(jobDispatchCommand, jobPeriodicForceCommand);

// Client commands: logs, files, exec, restart, signal of an allocation.
import { allocExecCommand, execAliasCommand } from './alloc-exec.js';
import { allocFsCommand } from './alloc-fs.js';
import { allocLogsCommand, logsAliasCommand } from './alloc-logs.js';
import { allocRestartCommand } from './alloc-restart.js';
import { allocSignalCommand } from './alloc-signal.js';
import { allocChecksCommand } from './alloc-checks.js';

allCommands.push(allocLogsCommand, logsAliasCommand, allocFsCommand, allocExecCommand, execAliasCommand, allocRestartCommand, allocSignalCommand, allocChecksCommand);

// Nomad-provider service discovery.
import { serviceDeleteCommand } from './service-delete.js';
import { serviceInfoCommand } from './service-info.js';
import { serviceListCommand } from './service-list.js';

allCommands.push(serviceListCommand, serviceInfoCommand, serviceDeleteCommand);

// Variables.
import { varGetCommand, varListCommand, varPurgeCommand, varPutCommand } from './var.js';
import { varLockCommand } from './var-lock.js';

allCommands.push(varPutCommand, varGetCommand, varListCommand, varPurgeCommand, varLockCommand);

// The web UI's address for an object.
import { uiCommand } from './ui.js';

allCommands.push(uiCommand);
