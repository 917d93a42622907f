import { SPEECH_RECOGNITION_KEYS } from './types';
import type { CallBackMqConfig, SpeechRecognitionParams, SubmitAsrJobRequest } from './types';

/** An element: name and either text or ordered children; `undefined` values are left out. */
export type XmlNode = [name: string, value: string | number | boolean | XmlNode[] | undefined];

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Renders an element tree as XML (no declaration); `undefined` values and empty containers are left out. */
export function renderXml(node: XmlNode): string {
  const [name, value] = node;
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    const inner = value.map(renderXml).join('');
    return inner === '' ? '' : `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function speechNodes(sr: SpeechRecognitionParams | undefined): XmlNode[] | undefined {
  if (sr === undefined) return undefined;
  return SPEECH_RECOGNITION_KEYS.map((key): XmlNode => [key, sr[key]]);
}

function mqNodes(mq: CallBackMqConfig | undefined): XmlNode[] | undefined {
  if (mq === undefined) return undefined;
  return [
    ['MqRegion', mq.MqRegion],
    ['MqMode', mq.MqMode],
    ['MqName', mq.MqName],
  ];
}

/**
 * The XML body of `POST /asr_jobs` for a (validated) request: no declaration, only the elements that are set, in a
 * fixed order (Tag, Input, Operation, QueueId, CallBack…), text escaped, booleans as `true`/`false`.
 */
export function submitRequestXml(req: SubmitAsrJobRequest): string {
  const op = req.Operation;
  const root: XmlNode = [
    'Request',
    [
      ['Tag', 'SpeechRecognition'],
      [
        'Input',
        [
          ['Object', req.Input.Object],
          ['Url', req.Input.Url],
        ],
      ],
      [
        'Operation',
        [
          ['TemplateId', op.TemplateId],
          ['SpeechRecognition', speechNodes(op.SpeechRecognition)],
          [
            'Output',
            [
              ['Region', op.Output.Region],
              ['Bucket', op.Output.Bucket],
              ['Object', op.Output.Object],
            ],
          ],
          ['UserData', op.UserData],
          ['JobLevel', op.JobLevel],
        ],
      ],
      ['QueueId', req.QueueId],
      ['CallBack', req.CallBack],
      ['CallBackFormat', req.CallBackFormat],
      ['CallBackType', req.CallBackType],
      ['CallBackMqConfig', mqNodes(req.CallBackMqConfig)],
    ],
  ];
  return renderXml(root);
}
