// For the graphile-worker CLI (graphile.config.ts), which loads every file in tasks/: on a runner
// with SERVE_GAMES=0 this plugin drops the steps about served games (lib/queue/tasks.ts
// GAMES_HOST_TASKS) from what it loaded, so this runner never takes their jobs (graphile-worker
// fetches only jobs of the tasks it has) and a games-host runner does. The in-process runner
// filters its task list the same way (bin/task-list.ts).
import type {} from 'graphile-worker';
import { takesTask } from './tasks.ts';

export function gamesHostTasksPlugin(serveGames: boolean, log: (line: string) => void): GraphileConfig.Plugin {
  return {
    name: 'GamePocGenGamesHostTasksPlugin',
    version: '1.0.0',
    description: 'Leaves the steps about served games to runners with SERVE_GAMES=1',
    worker: {
      hooks: {
        loadTaskFromFiles: {
          // After the loaders, so there is a handler to take away.
          after: ['LoadTaskFromJsPlugin', 'LoadTaskFromExecutableFilePlugin'],
          callback(_ctx, details) {
            if (takesTask(details.taskIdentifier, serveGames)) return;
            details.handler = undefined;
            // graphile-worker then warns that it "failed to load" the task: this line says why.
            log(`SERVE_GAMES=0: ${details.taskIdentifier} is left to the games host's runners (not loaded here)`);
          },
        },
      },
    },
  };
}
