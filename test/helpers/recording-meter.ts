import type {
  MetricCounter,
  MetricGauge,
  MetricHistogram,
  MetricMeter,
  MetricTags,
  NumericMetricValueType,
} from '@temporalio/common';

/** One value an activity recorded. */
interface Recorded {
  name: string;
  value: number;
  tags: MetricTags;
}

/** A metric meter that keeps every recorded value, for asserting what activities emit (no SDK runtime needed). */
export class RecordingMeter implements MetricMeter {
  constructor(
    readonly records: Recorded[] = [],
    private readonly tags: MetricTags = {},
  ) {}

  private recorder(name: string, tags: MetricTags) {
    return (value: number, extraTags: MetricTags = {}): void => {
      this.records.push({ name, value, tags: { ...tags, ...extraTags } });
    };
  }

  createCounter(name: string, unit?: string, description?: string, tags = this.tags): MetricCounter {
    const add = this.recorder(name, tags);
    const withTags = (more: MetricTags) => this.createCounter(name, unit, description, { ...tags, ...more });
    return { name, unit, description, kind: 'counter', valueType: 'int', add, withTags };
  }

  createHistogram(
    name: string,
    valueType: NumericMetricValueType = 'int',
    unit?: string,
    description?: string,
    tags = this.tags,
  ): MetricHistogram {
    const record = this.recorder(name, tags);
    const withTags = (more: MetricTags) =>
      this.createHistogram(name, valueType, unit, description, { ...tags, ...more });
    return { name, unit, description, kind: 'histogram', valueType, record, withTags };
  }

  createGauge(
    name: string,
    valueType: NumericMetricValueType = 'int',
    unit?: string,
    description?: string,
    tags = this.tags,
  ): MetricGauge {
    const set = this.recorder(name, tags);
    const withTags = (more: MetricTags) => this.createGauge(name, valueType, unit, description, { ...tags, ...more });
    return { name, unit, description, kind: 'gauge', valueType, set, withTags };
  }

  withTags(tags: MetricTags): MetricMeter {
    return new RecordingMeter(this.records, { ...this.tags, ...tags });
  }

  /** The sum of the values recorded for `name` whose tags include `tags`. */
  total(name: string, tags: MetricTags = {}): number {
    return this.records
      .filter((r) => r.name === name && Object.entries(tags).every(([k, v]) => r.tags[k] === v))
      .reduce((sum, r) => sum + r.value, 0);
  }
}
