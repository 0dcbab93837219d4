import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsReport } from '@gatehouse/protocol';
import { statusColor } from './statusColors';
import { timeline } from './timeline';

function clock(time: number): string {
  return new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Requests per time bucket, stacked by status code. */
export function StatusChart({ analytics }: { analytics: AnalyticsReport }) {
  const codes = Object.keys(analytics.by_status_code).sort();
  const rows = timeline(analytics);
  return (
    <div role="img" aria-label={`Requests over time by status code: ${codes.join(', ')}`} style={{ width: '100%', height: 240 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="time" tickFormatter={clock} fontSize={12} minTickGap={24} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip labelFormatter={(t) => clock(Number(t))} />
          <Legend />
          {codes.map((code) => (
            <Bar key={code} dataKey={code} name={code} stackId="status" fill={statusColor(code)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
