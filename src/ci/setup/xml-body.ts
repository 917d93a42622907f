import type { SpeechRecognitionParams } from '../types';
import { SPEECH_RECOGNITION_KEYS } from '../types';
import type { XmlNode } from '../xml-request';
import { renderXml } from '../xml-request';
import type { AsrTemplateRequest, HotVocabTableRequest, QueueNotifyConfig } from './types';

function speech(sr: SpeechRecognitionParams): XmlNode[] {
  return SPEECH_RECOGNITION_KEYS.map((key): XmlNode => [key, sr[key]]);
}

function notify(n: QueueNotifyConfig): XmlNode[] {
  // CI requires Type and Event when State is On (ci-wire-facts row 9): send the defaults this client documents.
  const on = n.State === 'On';
  return [
    ['Url', n.Url],
    ['Type', n.Type ?? (on ? 'Url' : undefined)],
    ['Event', n.Event ?? (on ? 'TaskFinish' : undefined)],
    ['State', n.State],
    ['ResultFormat', n.ResultFormat],
    ['MqMode', n.MqMode],
    ['MqRegion', n.MqRegion],
    ['MqName', n.MqName],
  ];
}

/** `PUT /asrqueue/<id>` body, in the Go SDK's element order (Name, QueueID, State, NotifyConfig). */
export function queueUpdateXml(
  queueId: string,
  q: { name: string; state: string; notify?: QueueNotifyConfig },
): string {
  return renderXml([
    'Request',
    [
      ['Name', q.name],
      ['QueueID', queueId],
      ['State', q.state],
      ['NotifyConfig', q.notify === undefined ? undefined : notify(q.notify)],
    ],
  ]);
}

/** `POST /template` / `PUT /template/<id>` body: Tag, Name, SpeechRecognition. */
export function templateXml(req: AsrTemplateRequest): string {
  return renderXml([
    'Request',
    [
      ['Tag', 'SpeechRecognition'],
      ['Name', req.Name],
      ['SpeechRecognition', speech(req.SpeechRecognition)],
    ],
  ]);
}

/** `POST`/`PUT /asrhotvocabtable` body; the update carries `TableId` in the body (PY and Go SDKs). */
export function hotVocabXml(req: HotVocabTableRequest, tableId?: string): string {
  return renderXml([
    'Request',
    [
      ['TableId', tableId],
      ['TableName', req.TableName],
      ['TableDescription', req.TableDescription],
      ...req.VocabularyWeights.map((w): XmlNode => [
        'VocabularyWeights',
        [
          ['Vocabulary', w.Vocabulary],
          ['Weight', w.Weight],
        ],
      ]),
    ],
  ]);
}
