/**
 * Prometheus text exposition. Collectors are functions that return metric
 * families; the registry renders them on each scrape, so nothing is counted
 * on the request path unless a collector keeps its own counters.
 */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'untyped';
  samples: { labels?: Record<string, string>; value: number; suffix?: string }[];
}

export type MetricsCollector = () => MetricFamily[];

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Renders families in the Prometheus text format (version 0.0.4). */
export function renderMetrics(families: readonly MetricFamily[]): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${f.help.replace(/\n/g, ' ')}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) {
      const labels = s.labels
        ? Object.entries(s.labels)
            .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
            .join(',')
        : '';
      out += `${f.name}${s.suffix ?? ''}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}\n`;
    }
  }
  return out;
}

/** The collectors `/metrics` renders; analytics and plugins register theirs here. */
export class MetricsRegistry {
  private readonly collectors: MetricsCollector[] = [];

  register(collector: MetricsCollector): void {
    this.collectors.push(collector);
  }

  render(): string {
    const families: MetricFamily[] = [];
    for (const c of this.collectors) families.push(...c());
    return renderMetrics(families);
  }
}
