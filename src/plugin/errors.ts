import { TencentCiAsrError } from '../shared/errors';

/**
 * The plugin cannot configure a worker as asked: no activity dependencies for a worker, both `deps` and `tencent`
 * given, a negative `ciSubmitsPerSecond`, or one of the user's own activities has the name of one of ours. Thrown by
 * the plugin's constructor or by `Worker.create`, before anything polls.
 */
export class PluginSetupError extends TencentCiAsrError {
  override readonly name = 'PluginSetupError';
}
