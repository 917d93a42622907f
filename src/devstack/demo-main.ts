/**
 * `npm run demo`: the whole pipeline locally with no cloud account. `--keep` leaves the stack running (Temporal UI
 * included) until Ctrl-C; `--no-ui` starts the dev server headless.
 */
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runDemo } from './demo';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { keep: { type: 'boolean' }, 'no-ui': { type: 'boolean' } } });
  // The demo prints its own story; the SDK's routine INFO lines would drown it.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await runDemo({ ui: !values['no-ui'], keepAlive: values.keep ? () => interrupted : undefined });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
