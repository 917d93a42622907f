import { ApiError } from '../errors';
import type { ApiResponse } from '../http-util';
import type { RequestTarget } from '../request-target';
import {
  closeBucket,
  describeBuckets,
  describeQueues,
  openBucket,
  requireBound,
  updateQueue,
} from './bucket-queue-routes';
import type { SetupState } from './state';
import { handleTemplate } from './template-routes';
import { handleVocab } from './vocab-routes';

const SETUP_PATH = /^\/(asrbucket|asrqueue|template|asrhotvocabtable)(?:\/([^/]+))?\/?$/;

/** Which setup routes exist: `<METHOD> /<base>` or `<METHOD> /<base>/:id`. */
const ROUTES = new Set([
  'POST /asrbucket',
  'DELETE /asrbucket',
  'GET /asrbucket',
  'GET /asrqueue',
  'PUT /asrqueue/:id',
  'POST /template',
  'GET /template',
  'PUT /template/:id',
  'DELETE /template/:id',
  'POST /asrhotvocabtable',
  'PUT /asrhotvocabtable',
  'GET /asrhotvocabtable',
  'GET /asrhotvocabtable/:id',
  'DELETE /asrhotvocabtable/:id',
]);

/** Whether a path belongs to the setup API (so a bare-host request goes to CI, not COS). */
export function isSetupPath(pathname: string): boolean {
  return SETUP_PATH.test(pathname);
}

/** The route name of a setup request, e.g. `PUT /asrqueue/:id`; `undefined` when unknown. */
export function setupRouteName(method: string, pathname: string): string | undefined {
  const m = SETUP_PATH.exec(pathname);
  if (!m) return undefined;
  const name = `${method} /${m[1]}${m[2] === undefined ? '' : '/:id'}`;
  return ROUTES.has(name) ? name : undefined;
}

/** What the setup routes need from the emulator. */
export interface SetupContext {
  setup: SetupState;
  /** A queue's state changed: re-apply pauses to waiting jobs. */
  queuesChanged: () => void;
}

/** Handles a request already matched by {@link setupRouteName}. */
export function handleSetup(ctx: SetupContext, route: string, target: RequestTarget, body: Buffer): ApiResponse {
  const id = target.pathname.split('/')[2];
  const { setup } = ctx;
  const regionHost = target.bucket === '';
  // A bare host (no *.myqcloud.com name) serves every route for the default bucket and region.
  const bare = !/\.myqcloud\.com(:\d+)?$/i.test(target.host);
  if (!bare && regionHost !== (route === 'GET /asrbucket')) {
    throw new ApiError(
      400,
      'InvalidHost',
      route === 'GET /asrbucket'
        ? 'GET /asrbucket is served on the region host ci.<Region>.myqcloud.com, not on a bucket host.'
        : `${route} needs the bucket host <BucketName-APPID>.ci.<Region>.myqcloud.com.`,
    );
  }
  const [method = 'GET', base = ''] = route.split(' ');
  switch (base.split('/')[1]) {
    case 'asrbucket':
      if (method === 'GET') return describeBuckets(setup, target);
      if (method === 'POST') return openBucket(setup, target);
      try {
        return closeBucket(setup, target);
      } finally {
        // Closing deletes the bucket's queues: jobs a paused one held are no longer paused by it.
        ctx.queuesChanged();
      }
    case 'asrqueue':
      if (method === 'GET') return describeQueues(setup, target);
      try {
        return updateQueue(setup, target, id ?? '', body);
      } finally {
        ctx.queuesChanged();
      }
    case 'template':
      requireBound(setup, target.bucket);
      return handleTemplate(setup, { method, target, id, body });
    default:
      requireBound(setup, target.bucket);
      return handleVocab(setup, { method, target, id, body });
  }
}
