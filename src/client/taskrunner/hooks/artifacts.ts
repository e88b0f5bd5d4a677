// artifactsHook — Nomad's artifact_hook: before templates render (they may read the files),
// emits "Downloading Artifacts" and fetches each `artifact` block with src/client/artifacts (http,
// git, allowed local files; checksums; archives unpacked; everything confined to the task's
// directories). A failure emits "Failed Artifact Download" with the reason ("failed to download
// artifact "<source>": …") and fails this start attempt; the restart policy decides about the
// next one, as in Nomad. Once all are downloaded the hook is done for good (persisted), so a
// restarted task or an agent restart does not fetch them again.
import { TaskEventType } from '../../../structs/alloc.js';
import { DEFAULT_ARTIFACT_CONFIG } from '../../artifacts/config.js';
import { ArtifactGetter, type ArtifactGetterOptions } from '../../artifacts/getter.js';
import { errorMessage } from '../../async.js';
import { newTaskEvent } from '../../task-events.js';
import { TaskEnv, taskDirEnv } from '../../taskenv.js';
import { ReportedHookError, type PrestartResult, type TaskHook, type TaskHookContext } from '../hook.js';

export function createArtifactsHook(opts: ArtifactGetterOptions = { config: DEFAULT_ARTIFACT_CONFIG }): TaskHook {
  const getter = new ArtifactGetter(opts);
  return {
    name: 'artifacts',
    async prestart(ctx: TaskHookContext): Promise<PrestartResult | void> {
      const artifacts = ctx.task.Artifacts ?? [];
      if (artifacts.length === 0) return { done: true };
      ctx.emitEvent(newTaskEvent(TaskEventType.DownloadingArtifacts, ctx.now()));
      // Sources and destinations see the task's directories as host paths (Nomad's ReplaceEnvClient).
      const built = ctx.envBuilder.build();
      const env = new TaskEnv({ ...built.env, ...taskDirEnv('none', ctx.taskDirs) }, built.nodeVars);
      for (const artifact of artifacts) {
        try {
          await getter.get({ artifact, replace: (s) => env.replace(s), taskDirs: ctx.taskDirs, user: ctx.task.User, signal: ctx.signal });
        } catch (err) {
          if (ctx.signal?.aborted) return; // the task was stopped while downloading: nothing to report
          const msg = `failed to download artifact ${JSON.stringify(artifact.GetterSource)}: ${errorMessage(err)}`;
          ctx.logger.warn('artifact download failed', { task: ctx.task.Name, source: artifact.GetterSource, error: errorMessage(err) });
          ctx.emitEvent(newTaskEvent(TaskEventType.ArtifactDownloadFailed, ctx.now(), { DownloadError: msg }));
          throw new ReportedHookError(msg);
        }
        ctx.logger.debug('artifact downloaded', { task: ctx.task.Name, source: artifact.GetterSource, destination: artifact.RelativeDest });
      }
      return { done: true };
    },
  };
}

/** The hook with Nomad's default client settings (tests, or a client without an `artifact` block). */
export const artifactsHook: TaskHook = createArtifactsHook();
