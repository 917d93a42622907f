import { setHandler } from '@temporalio/workflow';
import type { CiCallbackSignal } from '../messages';
import { ciCallbackSignal, ciCallbackUpdate } from '../messages';
import { callbackRefusal } from './callback-gate';
import type { CallbackInbox } from './decide';
import type { RunStatus } from './status';

/**
 * Registers the two ways a callback reaches a run. The update's validator refuses what cannot matter before it is
 * written to history (docs/receiver.md); the signal stays for receivers that predate the update and for replaying old
 * histories, and is bounded only by the inbox's capacity.
 */
export function registerCallbackHandlers(inbox: CallbackInbox, status: RunStatus): void {
  const receive = (callback: CiCallbackSignal): void => {
    inbox.add(callback);
    status.callbackReceived();
  };
  setHandler(ciCallbackSignal, receive);
  setHandler(
    ciCallbackUpdate,
    (callback) => {
      receive(callback);
      return { jobId: status.jobId };
    },
    {
      validator: (callback: CiCallbackSignal) => {
        const refusal = callbackRefusal({ ended: status.ended, jobId: status.jobId, pending: inbox }, callback);
        // The message is the whole answer: the receiver maps it to its reply, nothing else is echoed.
        if (refusal) throw new Error(refusal);
      },
    },
  );
}
