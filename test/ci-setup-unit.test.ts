import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CiValidationError } from '../src/ci/errors';
import { parseBucketPage, parseQueuePage, parseTablePage, parseTemplatePage } from '../src/ci/setup/parse';
import { validateHotVocab, validateQueueUpdate, validateTemplate } from '../src/ci/setup/validate';
import { hotVocabXml, queueUpdateXml, templateXml } from '../src/ci/setup/xml-body';

function issues(run: () => void): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof CiValidationError) return err.issues.map((i) => i.path);
    throw err;
  }
  return [];
}

describe('setup XML bodies', () => {
  it('renders the queue update in the Go SDK order, escaped', () => {
    const xml = queueUpdateXml('p1', {
      name: 'a&b',
      state: 'Active',
      notify: { State: 'On', Type: 'Url', Url: 'https://x.test/cb?a=1&b=2', Event: 'TaskFinish' },
    });
    assert.equal(
      xml,
      '<Request><Name>a&amp;b</Name><QueueID>p1</QueueID><State>Active</State><NotifyConfig>' +
        '<Url>https://x.test/cb?a=1&amp;b=2</Url><Type>Url</Type><Event>TaskFinish</Event><State>On</State>' +
        '</NotifyConfig></Request>',
    );
  });

  it('renders templates and hot-word tables (update carries TableId)', () => {
    assert.equal(
      templateXml({
        Name: 'n',
        SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1, HotVocabularyTableId: 'h' },
      }),
      '<Request><Tag>SpeechRecognition</Tag><Name>n</Name><SpeechRecognition><EngineModelType>16k_zh</EngineModelType>' +
        '<ChannelNum>1</ChannelNum><HotVocabularyTableId>h</HotVocabularyTableId></SpeechRecognition></Request>',
    );
    assert.equal(
      hotVocabXml(
        {
          TableName: 't',
          VocabularyWeights: [
            { Vocabulary: 'a', Weight: 2 },
            { Vocabulary: 'b', Weight: 11 },
          ],
        },
        'id1',
      ),
      '<Request><TableId>id1</TableId><TableName>t</TableName><VocabularyWeights><Vocabulary>a</Vocabulary>' +
        '<Weight>2</Weight></VocabularyWeights><VocabularyWeights><Vocabulary>b</Vocabulary><Weight>11</Weight>' +
        '</VocabularyWeights></Request>',
    );
  });
});

describe('setup response parsing (SDK shapes: one element = object, none = absent)', () => {
  it('reads a single queue with NotifyConfig and a NonExistPIDs list', () => {
    const page = parseQueuePage({
      Response: {
        TotalCount: '1',
        PageNumber: '1',
        PageSize: '10',
        QueueList: {
          QueueId: 'p1',
          Name: 'q',
          State: 'Paused',
          MaxSize: '10000',
          MaxConcurrent: '10',
          NotifyConfig: { Url: 'http://cb', State: 'On', Type: 'Url', Event: 'TaskFinish', ResultFormat: 'JSON' },
        },
        NonExistPIDs: ['p2', 'p3'],
      },
    });
    assert.deepEqual(page.queues[0], {
      queueId: 'p1',
      name: 'q',
      state: 'Paused',
      maxSize: 10000,
      maxConcurrent: 10,
      notifyConfig: { State: 'On', Url: 'http://cb', Type: 'Url', Event: 'TaskFinish', ResultFormat: 'JSON' },
    });
    assert.deepEqual(page.nonExistentQueueIds, ['p2', 'p3']);
    // DOC sample with empty NotifyConfig leaves (State '') has no notify config.
    const empty = parseQueuePage({
      Response: { QueueList: { QueueId: 'A', State: 'Active', NotifyConfig: { Url: '', State: '' } } },
    });
    assert.equal(empty.queues[0]?.notifyConfig, undefined);
  });

  it('reads bucket, template and table pages and refuses malformed ones', () => {
    assert.deepEqual(parseBucketPage({ Response: { TotalCount: '0' } }).buckets, []);
    const b = parseBucketPage({ Response: { AsrBucketList: [{ BucketId: 'a-1', Region: 'ap-x' }, { Name: 'b-1' }] } });
    assert.deepEqual(
      b.buckets.map((x) => x.bucketId),
      ['a-1', 'b-1'],
    );
    const t = parseTemplatePage({
      Response: {
        TemplateList: { TemplateId: 't1', Name: 'n', SpeechRecognition: { EngineModelType: '16k_zh', Format: '' } },
      },
    });
    assert.deepEqual(t.templates[0]?.speechRecognition, { EngineModelType: '16k_zh' });
    const v = parseTablePage({
      Response: {
        TotalCount: '1',
        VocabularyTable: { TableId: 'h', VocabularyWeights: { Vocabulary: 'x', Weight: '3' } },
      },
    });
    assert.deepEqual(v.tables[0]?.words, [{ Vocabulary: 'x', Weight: 3 }]);
    assert.throws(() => parseQueuePage({ Response: { QueueList: { QueueId: 'p', State: 'Odd' } } }), /State/);
    assert.throws(() => parseQueuePage({}), /no Response/);
  });
});

describe('setup validation', () => {
  it('lists every problem of a queue update', () => {
    assert.deepEqual(
      issues(() => validateQueueUpdate('p 1', { state: 'Off' as never })),
      ['queueId'],
    );
    assert.deepEqual(
      issues(() => validateQueueUpdate('p1', { state: 'Off' as never, notifyConfig: { State: 'On', Event: 'Done' } })),
      ['state', 'notifyConfig.Event', 'notifyConfig.Url'],
    );
    assert.deepEqual(
      issues(() => validateQueueUpdate('p1', {})),
      ['request'],
    );
    assert.deepEqual(
      issues(() => validateQueueUpdate('p1', { notifyConfig: { State: 'On', Type: 'TDMQ', MqRegion: 'xx' } })),
      ['notifyConfig.MqRegion', 'notifyConfig.MqName'],
    );
  });

  it('checks templates with the job rules and hot-word weights', () => {
    assert.deepEqual(
      issues(() =>
        validateTemplate({
          Name: 'x'.repeat(65),
          SpeechRecognition: { EngineModelType: 'nope' as never, ChannelNum: 1 },
        }),
      ),
      ['Name', 'SpeechRecognition.EngineModelType'],
    );
    assert.deepEqual(
      issues(() => validateHotVocab({ TableName: '', VocabularyWeights: [{ Vocabulary: '', Weight: 12 }] })),
      ['TableName', 'VocabularyWeights[0].Vocabulary', 'VocabularyWeights[0].Weight'],
    );
    assert.deepEqual(
      issues(() => validateHotVocab({ TableName: 't', VocabularyWeights: [] })),
      ['VocabularyWeights'],
    );
  });
});
