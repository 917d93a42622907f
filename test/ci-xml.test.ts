import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import { toListQuery } from '../src/ci/list-filter';
import { submitRequestXml } from '../src/ci/xml-request';

const OUTPUT = { Region: 'ap-guangzhou', Bucket: 'demo-1250000000', Object: 'out/a.txt' };

describe('submitRequestXml', () => {
  it('emits only set elements, in a fixed order, without an XML declaration', () => {
    const xml = submitRequestXml({
      Input: { Object: 'in/a.mp3' },
      Operation: { SpeechRecognition: { ChannelNum: 1, EngineModelType: '16k_zh' }, Output: OUTPUT },
    });
    assert.equal(
      xml,
      '<Request><Tag>SpeechRecognition</Tag><Input><Object>in/a.mp3</Object></Input><Operation>' +
        '<SpeechRecognition><EngineModelType>16k_zh</EngineModelType><ChannelNum>1</ChannelNum></SpeechRecognition>' +
        '<Output><Region>ap-guangzhou</Region><Bucket>demo-1250000000</Bucket><Object>out/a.txt</Object></Output>' +
        '</Operation></Request>',
    );
  });

  it('writes every field; booleans as true/false; escapes text', () => {
    const xml = submitRequestXml({
      Input: { Url: 'https://example.com/a.mp3?x=1&y=<2>' },
      Operation: {
        SpeechRecognition: {
          EngineModelType: '16k_zh',
          FlashAsr: true,
          Format: 'mp3',
          WordInfo: 1,
          FirstChannelOnly: 0,
        },
        Output: OUTPUT,
        UserData: `it's "q" & <tag>`,
        JobLevel: 0,
      },
      QueueId: 'p1',
      CallBack: 'https://hooks.example.com/cb?a=1&b=2',
      CallBackFormat: 'JSON',
      CallBackType: 'TDMQ',
      CallBackMqConfig: { MqRegion: 'gz', MqMode: 'Queue', MqName: 'q1' },
    });
    assert.match(xml, /<Url>https:\/\/example\.com\/a\.mp3\?x=1&amp;y=&lt;2&gt;<\/Url>/);
    assert.match(xml, /<FlashAsr>true<\/FlashAsr><Format>mp3<\/Format><FirstChannelOnly>0<\/FirstChannelOnly>/);
    assert.match(xml, /<UserData>it&apos;s &quot;q&quot; &amp; &lt;tag&gt;<\/UserData><JobLevel>0<\/JobLevel>/);
    assert.match(
      xml,
      /<\/Operation><QueueId>p1<\/QueueId><CallBack>.*<\/CallBack><CallBackFormat>JSON<\/CallBackFormat><CallBackType>TDMQ<\/CallBackType><CallBackMqConfig><MqRegion>gz<\/MqRegion><MqMode>Queue<\/MqMode><MqName>q1<\/MqName><\/CallBackMqConfig><\/Request>$/,
    );
  });

  it('parses back (with the SDK parser) to the same values', () => {
    const xml = submitRequestXml({
      Input: { Object: 'a&b.mp3' },
      Operation: { TemplateId: 't1', Output: OUTPUT, UserData: '<&>' },
    });
    const parsed = COS.util.xml2json(xml) as { Request: Record<string, Record<string, unknown>> };
    assert.deepEqual(parsed.Request.Input, { Object: 'a&b.mp3' });
    assert.deepEqual(parsed.Request.Operation, { TemplateId: 't1', Output: OUTPUT, UserData: '<&>' });
  });
});

describe('toListQuery', () => {
  it('maps every filter to CI query names; times in CI format, one second wider (CI compares strictly)', () => {
    assert.deepEqual(
      toListQuery({
        queueId: 'p1',
        states: ['Success', 'Failed'],
        startCreationTime: new Date('2024-01-01T00:00:00Z'),
        endCreationTime: new Date('2024-01-01T12:30:00Z'),
        orderByTime: 'Asc',
        size: 100,
        nextToken: '42',
      }),
      {
        tag: 'SpeechRecognition',
        queueId: 'p1',
        states: 'Success,Failed',
        startCreationTime: '2024-01-01T07:59:59+0800',
        endCreationTime: '2024-01-01T20:30:01+0800',
        orderByTime: 'Asc',
        size: '100',
        nextToken: '42',
      },
    );
    assert.deepEqual(toListQuery({}), { tag: 'SpeechRecognition' });
  });
});
